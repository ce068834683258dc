package org.sovereign.app.ui.vault;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
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

        Hyperlink forgot = new Hyperlink("Forgot your passphrase? Use your recovery key");
        forgot.setId("forgot-passphrase");
        forgot.setTooltip(new Tooltip("If you created a recovery key with the vault, it lets you set a new passphrase."));
        forgot.setOnAction(e -> vm.startRecovery());

        VBox normal = new VBox(12, title, notice, explain, pass, new HBox(10, unlock, busy), error, forgot);
        normal.visibleProperty().bind(vm.recoveringProperty().not());
        normal.managedProperty().bind(normal.visibleProperty());
        VBox recovery = recoveryForm(vm);
        getChildren().addAll(normal, recovery);
        pass.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                pass.requestFocus();
            }
        });
        vm.busyProperty().addListener((o, was, is) -> {
            if (!is && !vm.recoveringProperty().get()) {
                pass.requestFocus();
            }
        });
    }

    /** "Forgot your passphrase?": the recovery key and a new passphrase (twice). */
    private static VBox recoveryForm(VaultUnlockViewModel vm) {
        Label title = new Label("Set a new passphrase with your recovery key");
        title.getStyleClass().add("area-title");
        title.setWrapText(true);
        Label explain = VaultCreateView.wrapped("Type the recovery key you wrote down when the vault was created "
                + "(capitals and dashes do not matter), then choose a new passphrase. Your data stays as it is.");
        TextField key = new TextField();
        key.setId("recovery-key-input");
        key.setPromptText("XXXX-XXXX-XXXX-...");
        key.setStyle("-fx-font-family: monospace;");
        key.textProperty().bindBidirectional(vm.recoveryKeyProperty());
        PasswordField newPass = new PasswordField();
        newPass.setId("recovery-new-passphrase");
        newPass.setPromptText("New passphrase");
        newPass.textProperty().bindBidirectional(vm.newPassphraseProperty());
        PasswordField confirm = new PasswordField();
        confirm.setId("recovery-confirm-passphrase");
        confirm.setPromptText("The same new passphrase again");
        confirm.textProperty().bindBidirectional(vm.newConfirmationProperty());
        confirm.setOnAction(e -> vm.recover());
        Label problem = new Label();
        problem.setId("recover-problem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
        problem.textProperty().bind(vm.recoverProblem());
        Button recover = new Button("Set new passphrase and unlock");
        recover.setId("recover-vault");
        recover.disableProperty().bind(vm.canRecoverProperty().not());
        recover.setOnAction(e -> vm.recover());
        Button back = new Button("Back");
        back.setId("recover-cancel");
        back.setCancelButton(true);
        back.disableProperty().bind(vm.busyProperty());
        back.setOnAction(e -> vm.cancelRecovery());
        ProgressIndicator busy = new ProgressIndicator();
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("recover-error");
        error.getStyleClass().add("error-text");
        error.setWrapText(true);
        error.textProperty().bind(vm.recoverErrorProperty());

        VBox form = new VBox(12, title, explain, key, newPass, confirm, problem, new HBox(10, recover, back, busy), error);
        form.setId("recovery-form");
        form.visibleProperty().bind(vm.recoveringProperty());
        form.managedProperty().bind(form.visibleProperty());
        form.visibleProperty().addListener((o, was, is) -> {
            if (is) {
                key.requestFocus();
            }
        });
        return form;
    }
}
