package org.sovereign.app.ui.controls;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableBooleanValue;
import javafx.beans.value.ObservableStringValue;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * An inline "are you sure?" bar for an action that cannot be undone: a plain question, a confirm button and
 * "Keep it". Shown while {@code showing} is true; Escape keeps. Ids: {@code <id>-bar}, {@code <id>-confirm},
 * {@code <id>-cancel}.
 */
public final class ConfirmBar extends HBox {

    /**
     * @param focusConfirm whether the confirm button (rather than "Keep it") gets the focus when the bar appears
     */
    public ConfirmBar(String id, String question, String confirmText, Runnable onConfirm, Runnable onCancel,
                      ObservableBooleanValue showing, boolean focusConfirm) {
        this(id, new ReadOnlyStringWrapper(question), confirmText, onConfirm, onCancel, showing, focusConfirm);
    }

    /** The same, with a question that names what is being confirmed (it follows {@code question}). */
    public ConfirmBar(String id, ObservableStringValue question, String confirmText, Runnable onConfirm,
                      Runnable onCancel, ObservableBooleanValue showing, boolean focusConfirm) {
        super(10);
        Label ask = new Label();
        ask.textProperty().bind(question);
        ask.setWrapText(true);
        HBox.setHgrow(ask, Priority.ALWAYS);
        Button yes = new Button(confirmText);
        yes.setId(id + "-confirm");
        yes.setOnAction(e -> onConfirm.run());
        Button no = new Button("Keep it");
        no.setId(id + "-cancel");
        no.setOnAction(e -> onCancel.run());
        yes.setMinWidth(Region.USE_PREF_SIZE);
        no.setMinWidth(Region.USE_PREF_SIZE);
        getChildren().addAll(ask, yes, no);
        setId(id + "-bar");
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("confirm-bar");
        visibleProperty().bind(showing);
        managedProperty().bind(visibleProperty());
        setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                onCancel.run();
            }
        });
        visibleProperty().addListener((o, was, is) -> {
            if (is) {
                (focusConfirm ? yes : no).requestFocus();
            }
        });
    }
}
