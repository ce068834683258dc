package org.sovereign.app.ui.vault;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Unlock the vault. Lays out and binds; behaviour is in {@link VaultUnlockViewModel}. */
public final class VaultUnlockView extends VBox {

    public VaultUnlockView(VaultUnlockViewModel vm) {
        setId("vault-unlock");
        getStyleClass().add("vault-gate");
        setSpacing(12);
        setAlignment(Pos.CENTER_LEFT);
        setMaxWidth(520);
        setMaxHeight(USE_PREF_SIZE);

        Label title = new Label("Unlock your vault");
        title.getStyleClass().add("area-title");
        Label explain = VaultCreateView.wrapped("Your data stays encrypted until you enter your passphrase. "
                + "Lock it again at any time with Ctrl+L.");
        PasswordField pass = new PasswordField();
        pass.setId("unlock-passphrase");
        pass.setPromptText("Passphrase");
        pass.textProperty().bindBidirectional(vm.passphraseProperty());
        pass.setOnAction(e -> vm.unlock());
        Button unlock = new Button("Unlock");
        unlock.setId("unlock-vault");
        unlock.setDefaultButton(true);
        unlock.disableProperty().bind(vm.canUnlockProperty().not());
        unlock.setOnAction(e -> vm.unlock());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("unlock-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());

        Label notice = VaultCreateView.wrapped("");
        notice.setId("unlock-notice");
        notice.textProperty().bind(vm.noticeProperty());
        notice.visibleProperty().bind(vm.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());

        getChildren().addAll(title, notice, explain, pass, new HBox(10, unlock, busy), error);
        pass.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                pass.requestFocus();
            }
        });
        vm.busyProperty().addListener((o, was, is) -> {
            if (!is) {
                pass.requestFocus();
            }
        });
    }
}
