package org.sovereign.app.ui.vault;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** Unlock: one passphrase, an inline message when it is wrong, nothing changes on disk. */
public final class VaultUnlockViewModel {

    private final StoreService store;
    private final BackgroundTasks tasks;
    private final VaultSessionState session;
    private final StringProperty passphrase = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanBinding canUnlock;

    // "Forgot your passphrase?": a new passphrase set with the recovery key
    private final BooleanProperty recovering = new SimpleBooleanProperty(false);
    private final StringProperty recoveryKey = new SimpleStringProperty("");
    private final StringProperty newPassphrase = new SimpleStringProperty("");
    private final StringProperty newConfirmation = new SimpleStringProperty("");
    private final StringProperty recoverError = new SimpleStringProperty("");
    private final BooleanBinding canRecover;

    public VaultUnlockViewModel(StoreService store, BackgroundTasks tasks, VaultSessionState session) {
        this.store = store;
        this.tasks = tasks;
        this.session = session;
        canUnlock = Bindings.createBooleanBinding(() -> !busy.get() && !passphrase.get().isEmpty(), busy, passphrase);
        canRecover = Bindings.createBooleanBinding(() -> !busy.get() && !recoveryKey.get().isBlank()
                        && newPassphrase.get().equals(newConfirmation.get())
                        && PassphraseStrength.level(newPassphrase.get()).compareTo(PassphraseStrength.Level.FAIR) >= 0,
                busy, recoveryKey, newPassphrase, newConfirmation);
        // while the passphrase is typed: the first unlock in this JVM would otherwise load SQLite and run Argon2's
        // code cold, which took several seconds more than later unlocks on a busy machine (issue 16)
        tasks.task("Prepare unlocking", p -> {
            StoreService.warmUp();
            return null;
        }).start();
    }

    /** Whether the recovery form is shown instead of the passphrase field. */
    public BooleanProperty recoveringProperty() {
        return recovering;
    }

    public StringProperty recoveryKeyProperty() {
        return recoveryKey;
    }

    public StringProperty newPassphraseProperty() {
        return newPassphrase;
    }

    public StringProperty newConfirmationProperty() {
        return newConfirmation;
    }

    public BooleanBinding canRecoverProperty() {
        return canRecover;
    }

    public ReadOnlyStringProperty recoverErrorProperty() {
        return recoverError;
    }

    /** Why Set new passphrase is unavailable, in plain words; empty when it is available or nothing is typed yet. */
    public StringBinding recoverProblem() {
        return Bindings.createStringBinding(() -> {
            if (!newPassphrase.get().isEmpty()
                    && PassphraseStrength.level(newPassphrase.get()).compareTo(PassphraseStrength.Level.FAIR) < 0) {
                return "The new passphrase is too weak: use at least " + PassphraseStrength.MIN_LENGTH + " characters.";
            }
            if (!newConfirmation.get().isEmpty() && !newPassphrase.get().equals(newConfirmation.get())) {
                return "The two new passphrases differ.";
            }
            return "";
        }, newPassphrase, newConfirmation);
    }

    /** Shows the recovery form. */
    public void startRecovery() {
        recoverError.set("");
        recovering.set(true);
    }

    /** Back to the passphrase; clears what was typed. */
    public void cancelRecovery() {
        recovering.set(false);
        recoveryKey.set("");
        newPassphrase.set("");
        newConfirmation.set("");
        recoverError.set("");
    }

    /**
     * Sets the new passphrase with the recovery key and opens the vault. A typo or a wrong key is shown inline and
     * changes nothing; the key stays in the field so it can be corrected.
     */
    public void recover() {
        if (!canRecover.get()) {
            return;
        }
        char[] key = recoveryKey.get().toCharArray();
        char[] chars = newPassphrase.get().toCharArray();
        newPassphrase.set("");
        newConfirmation.set("");
        busy.set(true);
        recoverError.set("");
        tasks.task("Set a new passphrase with the recovery key", p -> store.recover(key, chars))
                .onSuccess(opened -> {
                    busy.set(false);
                    recovering.set(false);
                    recoveryKey.set("");
                    session.openedAfterRecovery(opened);
                })
                .onError(UserFacingException.class, e -> failRecovery(e.getMessage()))
                .onError(Throwable.class, e -> failRecovery("The new passphrase could not be set. Details are in the log."))
                .start();
    }

    private void failRecovery(String message) {
        busy.set(false);
        recoverError.set(message);
    }

    public StringProperty passphraseProperty() {
        return passphrase;
    }

    public BooleanBinding canUnlockProperty() {
        return canUnlock;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }

    /** Why the vault was locked, if the workstation did it (for example after the idle time); empty otherwise. */
    public ReadOnlyStringProperty noticeProperty() {
        return session.lockNoticeProperty();
    }

    public void unlock() {
        if (!canUnlock.get()) {
            return;
        }
        char[] chars = passphrase.get().toCharArray();
        passphrase.set("");
        busy.set(true);
        error.set("");
        tasks.task("Unlock the vault", p -> store.unlock(chars))
                .onSuccess(opened -> {
                    busy.set(false);
                    session.opened(opened);
                })
                .onError(UserFacingException.class, e -> fail(e.getMessage()))
                .onError(Throwable.class, e -> fail("The vault could not be opened. Details are in the log."))
                .start();
    }

    private void fail(String message) {
        busy.set(false);
        error.set(message);
    }
}
