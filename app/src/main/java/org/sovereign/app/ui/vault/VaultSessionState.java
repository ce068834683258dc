package org.sovereign.app.ui.vault;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import org.sovereign.store.LocalStore;

/**
 * Whether the vault is unlocked in this window, and the unlocked store while it is. Locking closes the store, which
 * wipes its keys. Only touched on the FX thread.
 */
public final class VaultSessionState {

    private final ReadOnlyObjectWrapper<LocalStore> unlocked = new ReadOnlyObjectWrapper<>();

    public ReadOnlyObjectProperty<LocalStore> unlockedProperty() {
        return unlocked.getReadOnlyProperty();
    }

    public boolean isUnlocked() {
        return unlocked.get() != null;
    }

    void opened(LocalStore store) {
        lock();
        unlocked.set(store);
    }

    /** Locks the vault (if unlocked): keys are wiped and every screen that shows content is hidden. */
    public void lock() {
        LocalStore store = unlocked.get();
        if (store != null) {
            unlocked.set(null);
            store.close();
        }
    }
}
