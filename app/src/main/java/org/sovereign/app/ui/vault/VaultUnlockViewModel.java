package org.sovereign.app.ui.vault;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.sovereign.app.UserFacingException;
import org.sovereign.app.store.StoreService;
import org.sovereign.app.ui.tasks.BackgroundTasks;

/** Unlock: one passphrase, an inline message when it is wrong, nothing changes on disk. */
public final class VaultUnlockViewModel {

    private final StoreService store;
    private final BackgroundTasks tasks;
    private final VaultSessionState session;
    private final StringProperty passphrase = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty error = new SimpleStringProperty("");
    private final BooleanBinding canUnlock;

    public VaultUnlockViewModel(StoreService store, BackgroundTasks tasks, VaultSessionState session) {
        this.store = store;
        this.tasks = tasks;
        this.session = session;
        canUnlock = Bindings.createBooleanBinding(() -> !busy.get() && !passphrase.get().isEmpty(), busy, passphrase);
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
