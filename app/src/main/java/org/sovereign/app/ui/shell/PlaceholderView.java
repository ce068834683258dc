package org.sovereign.app.ui.shell;

import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** Shown for an area whose screen is not built yet: states plainly what it will hold. No made-up data. */
final class PlaceholderView extends VBox {

    PlaceholderView(Area area) {
        getStyleClass().add("placeholder");
        setId("placeholder-" + area.id());
        Label what = new Label(area.plannedContent());
        what.setWrapText(true);
        Label notYet = new Label("This part of the workstation is not built yet, so there is nothing to show here.");
        notYet.getStyleClass().add("muted");
        notYet.setWrapText(true);
        getChildren().addAll(what, notYet);
        setSpacing(12);
    }
}
