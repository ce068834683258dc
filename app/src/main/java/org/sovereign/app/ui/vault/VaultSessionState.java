package org.sovereign.app.ui.vault;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.sovereign.store.LocalStore;

/**
 * Whether the vault is unlocked in this window, and the unlocked store while it is. Locking closes the store, which
 * wipes its keys. Only touched on the FX thread.
 */
public final class VaultSessionState {

    private final ReadOnlyObjectWrapper<LocalStore> unlocked = new ReadOnlyObjectWrapper<>();
    private final javafx.beans.property.ReadOnlyStringWrapper lockNotice = new javafx.beans.property.ReadOnlyStringWrapper("");

    public ReadOnlyObjectProperty<LocalStore> unlockedProperty() {
        return unlocked.getReadOnlyProperty();
    }

    public boolean isUnlocked() {
        return unlocked.get() != null;
    }

    void opened(LocalStore store) {
        lock();
        lockNotice.set("");
        unlocked.set(store);
    }

    /** Locks the vault (if unlocked): keys are wiped and every screen that shows content is hidden. */
    public void lock() {
        lock("");
    }

    /**
     * Locks as {@link #lock()} does, and says why on the unlock screen ({@code reason} is a plain sentence, or
     * empty for a lock the person asked for).
     */
    public void lock(String reason) {
        LocalStore store = unlocked.get();
        if (store != null) {
            lockNotice.set(reason == null ? "" : reason);
            unlocked.set(null);
            store.close();
        }
    }

    /** Why the vault was last locked, when it was not the person's own doing (empty otherwise). */
    public ReadOnlyStringProperty lockNoticeProperty() {
        return lockNotice.getReadOnlyProperty();
    }
}
