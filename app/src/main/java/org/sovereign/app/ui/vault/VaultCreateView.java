package org.sovereign.app.ui.vault;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.controlsfx.validation.Severity;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

/** First run: create the vault. Lays out and binds; behaviour is in {@link VaultCreateViewModel}. */
public final class VaultCreateView extends VBox {

    public VaultCreateView(VaultCreateViewModel vm) {
        setId("vault-create");
        getStyleClass().add("vault-gate");
        setSpacing(12);
        setAlignment(Pos.CENTER_LEFT);
        setMaxWidth(520);
        setMaxHeight(USE_PREF_SIZE);

        Label title = new Label("Welcome. Let's create your vault.");
        title.getStyleClass().add("area-title");
        Label explain = wrapped("Everything the workstation keeps (documents, conversations, consents) is encrypted "
                + "with a key made from a passphrase only you know. This computer also gets its own signing identity.");
        Label warning = wrapped("If you lose the passphrase, nobody can recover your data: not us, not anyone. "
                + "Write it down somewhere safe.");
        warning.getStyleClass().add("warning");
        warning.setId("lost-passphrase-warning");

        PasswordField pass = new PasswordField();
        pass.setId("new-passphrase");
        pass.setPromptText("Passphrase (several words are easiest to remember)");
        pass.textProperty().bindBidirectional(vm.passphraseProperty());
        PasswordField confirm = new PasswordField();
        confirm.setId("confirm-passphrase");
        confirm.setPromptText("The same passphrase again");
        confirm.textProperty().bindBidirectional(vm.confirmationProperty());

        ProgressBar meter = new ProgressBar();
        meter.setId("strength-meter");
        meter.setMaxWidth(Double.MAX_VALUE);
        meter.progressProperty().bind(vm.strengthFraction());
        Label strength = new Label();
        strength.setId("strength-text");
        strength.textProperty().bind(vm.strengthText());
        Label problem = new Label();
        problem.setId("create-problem");
        problem.getStyleClass().add("error-text");
        problem.textProperty().bind(vm.problem());

        ValidationSupport validation = new ValidationSupport();
        validation.registerValidator(pass, false, (c, v) -> ValidationResult.fromMessageIf(c,
                "At least " + PassphraseStrength.MIN_LENGTH + " characters", Severity.ERROR,
                v != null && !v.toString().isEmpty() && v.toString().length() < PassphraseStrength.MIN_LENGTH));
        validation.registerValidator(confirm, false, (c, v) -> ValidationResult.fromMessageIf(c,
                "The two passphrases differ", Severity.ERROR, v != null && !v.toString().isEmpty() && !v.equals(pass.getText())));

        Button create = new Button("Create vault");
        create.setId("create-vault");
        create.setDefaultButton(true);
        create.disableProperty().bind(vm.canCreateProperty().not());
        create.setOnAction(e -> vm.create());
        create.setMinWidth(USE_PREF_SIZE);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("create-busy");
        busy.setPrefSize(22, 22);
        busy.visibleProperty().bind(vm.busyProperty());
        Label busyText = new Label("Creating the vault: deriving the key takes a second or two.");
        busyText.visibleProperty().bind(vm.busyProperty());
        busyText.managedProperty().bind(vm.busyProperty());
        busy.managedProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("create-error");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.setWrapText(true);

        getChildren().addAll(title, explain, warning, pass, confirm, meter, strength, problem,
                new HBox(10, create, busy, busyText), error);
        pass.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                pass.requestFocus();
            }
        });
    }

    static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }
}
