package org.sovereign.app.ui.vault;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** After a recovery: says the new passphrase is set before the workstation opens. Lays out only. */
public final class RecoveredView extends VBox {

    /** What the confirmation says. */
    public static final String CONFIRMATION = "Your new passphrase is set. Use it from now on to unlock this vault; "
            + "the old passphrase no longer opens it. Your data is as it was.";

    public RecoveredView(VaultSessionState session) {
        setId("recovered-step");
        getStyleClass().add("vault-gate");
        setSpacing(12);
        setAlignment(Pos.CENTER_LEFT);
        setMaxWidth(520);
        setMaxHeight(USE_PREF_SIZE);

        Label title = new Label("New passphrase set");
        title.getStyleClass().add("area-title");
        Label explain = VaultCreateView.wrapped(CONFIRMATION);
        explain.setId("recovered-text");
        Button go = new Button("Continue");
        go.setId("recovered-continue");
        go.setDefaultButton(true);
        go.setOnAction(e -> session.recoveryConfirmed());
        getChildren().addAll(title, explain, go);
        go.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                go.requestFocus();
            }
        });
    }
}
