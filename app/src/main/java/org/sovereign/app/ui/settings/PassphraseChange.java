package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.PassphraseStrength;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.VaultException;
import org.sovereign.store.vault.WrongPassphraseException;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Supplier;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.DoubleBinding;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Changing the passphrase on the Settings screen: the current one, the new one twice, a strength meter. Runs in
 * the background (two Argon2id derivations take a while); a wrong current passphrase is an inline message and
 * nothing changes. The new key uses the Argon2 settings from Settings when they are set (an empty field there
 * means the built-in default), else the vault's current ones. Passphrases are copied into {@code char[]} when
 * the change starts, the fields are cleared at once, and the arrays are wiped when it ends. Holds state only;
 * never touches controls.
 */
public final class PassphraseChange {

    private final VaultSessionState session;
    private final BackgroundTasks tasks;
    private final Supplier<AppSettings> settings;

    private final StringProperty current = new SimpleStringProperty("");
    private final StringProperty replacement = new SimpleStringProperty("");
    private final StringProperty confirmation = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private final ObjectBinding<PassphraseStrength.Level> strength;
    private final BooleanBinding canChange;

    public PassphraseChange(VaultSessionState session, BackgroundTasks tasks, Supplier<AppSettings> settings) {
        this.session = session;
        this.tasks = tasks;
        this.settings = settings;
        strength = Bindings.createObjectBinding(() -> PassphraseStrength.level(replacement.get()), replacement);
        canChange = Bindings.createBooleanBinding(() -> !busy.get() && session.isUnlocked() && !current.get().isEmpty()
                        && replacement.get().equals(confirmation.get())
                        && strength.get().compareTo(PassphraseStrength.Level.FAIR) >= 0,
                busy, current, replacement, confirmation, strength, session.unlockedProperty());
        session.unlockedProperty().addListener((o, old, now) -> {
            if (now == null) { // nothing typed stays on screen once the vault is locked
                clearFields();
                message.set("");
                error.set("");
            }
        });
    }

    /** Starts the change in the background. */
    public void change() {
        LocalStore store = session.unlockedProperty().get();
        if (!canChange.get() || store == null) {
            return;
        }
        char[] old = current.get().toCharArray();
        char[] next = replacement.get().toCharArray();
        clearFields();
        busy.set(true);
        message.set("Changing the passphrase: deriving the new key takes a few seconds...");
        error.set("");
        AppSettings prefs = settings.get();
        tasks.task("Change the passphrase", p -> {
                    try {
                        if (prefs.customKdf()) {
                            // a field left at 0 keeps the vault's current value, not the built-in default
                            store.session().changePassphrase(old, next,
                                    prefs.kdfParams(store.session().currentKdfParams()));
                            store.record(AuditTypes.VAULT_PASSPHRASE_CHANGED, Map.of());
                        } else {
                            store.changePassphrase(old, next);
                        }
                        return null;
                    } finally {
                        Arrays.fill(old, '\0');
                        Arrays.fill(next, '\0');
                    }
                })
                .onSuccess(x -> done("Passphrase changed. Use the new one from now on; the old one no longer opens the vault.", ""))
                .onError(WrongPassphraseException.class, e -> done("", "The current passphrase is wrong. Nothing was changed."))
                .onError(VaultException.class, e -> done("", e.getMessage()))
                .onError(IllegalArgumentException.class, e -> done("", "The Argon2 settings are not allowed: "
                        + e.getMessage() + ". Nothing was changed."))
                .onError(Throwable.class, e -> done("", "The passphrase could not be changed (details are in the log). "
                        + "Nothing was changed."))
                .start();
    }

    private void done(String ok, String problem) {
        busy.set(false);
        message.set(ok);
        error.set(problem);
    }

    private void clearFields() {
        current.set("");
        replacement.set("");
        confirmation.set("");
    }

    public StringProperty currentProperty() {
        return current;
    }

    public StringProperty replacementProperty() {
        return replacement;
    }

    public StringProperty confirmationProperty() {
        return confirmation;
    }

    public ObjectBinding<PassphraseStrength.Level> strengthProperty() {
        return strength;
    }

    public DoubleBinding strengthFraction() {
        return Bindings.createDoubleBinding(() -> strength.get().ordinal() / 4.0, strength);
    }

    public StringBinding strengthText() {
        return Bindings.createStringBinding(() -> {
            if (!confirmation.get().isEmpty() && !replacement.get().equals(confirmation.get())) {
                return "The two new passphrases differ.";
            }
            return PassphraseStrength.advice(replacement.get());
        }, strength, replacement, confirmation);
    }

    public BooleanBinding canChangeProperty() {
        return canChange;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }
}
