package org.sovereign.app.ui.vault;

import org.controlsfx.validation.Severity;
import org.controlsfx.validation.ValidationResult;
import org.controlsfx.validation.ValidationSupport;

import javafx.beans.binding.Bindings;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** First run: create the vault. Lays out and binds; behaviour is in {@link VaultCreateViewModel}. */
public final class VaultCreateView extends VBox {

    public VaultCreateView(VaultCreateViewModel vm) {
        setId("vault-create");
        getStyleClass().add("vault-gate");
        setSpacing(12);
        setAlignment(Pos.CENTER_LEFT);
        setMaxWidth(520);
        setMaxHeight(USE_PREF_SIZE);

        Label title = wrapped("Welcome. Let's create your vault.");
        title.getStyleClass().add("area-title");
        Label explain = wrapped("Everything the workstation keeps (documents, conversations, consents) is encrypted "
                + "with a key made from a passphrase only you know. This computer also gets its own signing identity.");
        Label warning = wrapped("If you lose the passphrase, nobody can recover your data: not us, not anyone. "
                + "Write it down somewhere safe, or also create a recovery key below.");
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
        PassphraseStrength.colour(meter, vm.strengthProperty());
        Label strength = new Label();
        strength.setId("strength-text");
        strength.setWrapText(true);
        strength.textProperty().bind(vm.strengthText());
        Label problem = new Label();
        problem.setId("create-problem");
        problem.getStyleClass().add("error-text");
        problem.setWrapText(true);
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
        Label busyText = wrapped("Creating the vault: deriving the key takes a second or two.");
        HBox.setHgrow(busyText, Priority.ALWAYS);
        busyText.visibleProperty().bind(vm.busyProperty());
        busyText.managedProperty().bind(vm.busyProperty());
        busy.managedProperty().bind(vm.busyProperty());
        Label error = new Label();
        error.setId("create-error");
        error.getStyleClass().add("error-text");
        error.textProperty().bind(vm.errorProperty());
        error.setWrapText(true);

        CheckBox withRecovery = new CheckBox("Also create a recovery key");
        withRecovery.setId("with-recovery-key");
        withRecovery.selectedProperty().bindBidirectional(vm.withRecoveryKeyProperty());
        withRecovery.setTooltip(new Tooltip("A long random key, shown once, that can set a new passphrase if you forget yours. "
                + "Anyone who has it can do the same, so keep it as safe as the passphrase."));

        VBox form = new VBox(12, title, explain, warning, pass, confirm, meter, strength, problem, withRecovery,
                new HBox(10, create, busy, busyText), error);
        form.visibleProperty().bind(vm.showingRecoveryKey().not());
        form.managedProperty().bind(form.visibleProperty());
        VBox recoveryPane = recoveryKeyPane(vm);
        getChildren().addAll(form, recoveryPane);
        pass.sceneProperty().addListener((o, old, scene) -> {
            if (scene != null) {
                pass.requestFocus();
            }
        });
    }

    /** Shown once after creation with a recovery key: the key, a warning, and "I have written it down". */
    private static VBox recoveryKeyPane(VaultCreateViewModel vm) {
        Label title = wrapped("Your recovery key");
        title.getStyleClass().add("area-title");
        Label explain = wrapped("Write this key down now and keep it somewhere safe, away from this computer. "
                + "It is shown only this once. If you forget your passphrase, it lets you set a new one; "
                + "anyone who has it can do the same.");
        explain.getStyleClass().add("warning");
        // the whole key, in two lines of seven groups, large and monospaced so that it is easy to copy by hand
        Label key = new Label();
        key.setId("recovery-key-text");
        key.getStyleClass().add("recovery-key");
        key.setWrapText(true);
        key.setMinHeight(USE_PREF_SIZE);
        key.textProperty().bind(Bindings.createStringBinding(
                () -> VaultCreateViewModel.inLines(vm.recoveryKeyProperty().get()), vm.recoveryKeyProperty()));
        key.setTooltip(new Tooltip("56 letters and digits in groups of four; capitals or not, the dashes are optional."));
        Button copy = new Button("_Copy");
        copy.setId("recovery-key-copy");
        Label copied = new Label();
        copied.setId("recovery-key-copied");
        copied.setWrapText(true);
        copy.setOnAction(e -> {
            ClipboardContent content = new ClipboardContent();
            content.putString(vm.recoveryKeyProperty().get());
            Clipboard.getSystemClipboard().setContent(content);
            copied.setText("Copied. Paste it somewhere safe away from this computer, then clear it from where you pasted it.");
        });
        HBox copyRow = new HBox(10, copy, copied);
        copyRow.setAlignment(Pos.CENTER_LEFT);
        HBox.setHgrow(copied, Priority.ALWAYS);
        CheckBox written = new CheckBox("I wrote it down (Continue is enabled once this is ticked)");
        written.setWrapText(true);
        written.setId("recovery-key-confirmed");
        written.selectedProperty().bindBidirectional(vm.recoveryKeyConfirmedProperty());
        Button next = new Button("Continue");
        next.setId("recovery-key-continue");
        next.setDefaultButton(true);
        next.disableProperty().bind(vm.recoveryKeyConfirmedProperty().not());
        next.setOnAction(e -> vm.continueAfterRecoveryKey());
        VBox pane = new VBox(12, title, explain, key, copyRow, written, next);
        pane.setId("recovery-key-pane");
        pane.visibleProperty().bind(vm.showingRecoveryKey());
        pane.managedProperty().bind(pane.visibleProperty());
        pane.visibleProperty().addListener((o, was, is) -> {
            if (is) {
                copied.setText("");
                written.requestFocus();
            }
        });
        return pane;
    }

    static Label wrapped(String text) {
        Label l = new Label(text);
        l.setWrapText(true);
        return l;
    }
}
