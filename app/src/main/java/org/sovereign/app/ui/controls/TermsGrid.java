package org.sovereign.app.ui.controls;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** Layout of the two-column grids where a person reads the terms of a consent (row label, then its value). */
public final class TermsGrid {

    private TermsGrid() {
    }

    /** The row labels of {@code grid} (column 0) never shrink below their text: no "..." where a person reads terms. */
    public static void labelColumnKeepsItsWords(GridPane grid) {
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        labels.setHgrow(Priority.NEVER);
        ColumnConstraints values = new ColumnConstraints();
        values.setHgrow(Priority.ALWAYS);
        values.setMinWidth(0);
        grid.getColumnConstraints().setAll(labels, values);
        for (Node n : grid.getChildren()) {
            Integer column = GridPane.getColumnIndex(n);
            if ((column == null || column == 0) && n instanceof Label label) {
                label.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
    }
}
