package org.sovereign.app.ui.vault;

import org.slf4j.LoggerFactory;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.ObjectBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Whether the vault is unlocked in this window, and the {@link UnlockedWorkspace} while it is. Locking closes the
 * workspace, which releases its models and wipes its keys. Only touched on the FX thread.
 */
public final class VaultSessionState {

    private final Workstation workstation;
    private final ReadOnlyObjectWrapper<UnlockedWorkspace> workspace = new ReadOnlyObjectWrapper<>();
    private final ObjectBinding<LocalStore> unlocked;
    private final ReadOnlyObjectWrapper<LocalStore> unlockedStore = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper lockNotice = new ReadOnlyStringWrapper("");
    private final ReadOnlyLongWrapper consentChanges = new ReadOnlyLongWrapper();
    private final ReadOnlyBooleanWrapper recovered =
            new ReadOnlyBooleanWrapper(false);
    private final List<Consumer<UnlockedWorkspace>> beforeLock = new ArrayList<>();

    public VaultSessionState(Workstation workstation) {
        this.workstation = workstation;
        unlocked = Bindings.createObjectBinding(() -> workspace.get() == null ? null : workspace.get().store(), workspace);
        unlockedStore.bind(unlocked);
    }

    /** The unlocked workspace, or {@code null} while locked. */
    public UnlockedWorkspace workspace() {
        return workspace.get();
    }

    public ReadOnlyObjectProperty<UnlockedWorkspace> workspaceProperty() {
        return workspace.getReadOnlyProperty();
    }

    /** The unlocked workspace's store, or {@code null} while locked. */
    public ReadOnlyObjectProperty<LocalStore> unlockedProperty() {
        return unlockedStore.getReadOnlyProperty();
    }

    public boolean isUnlocked() {
        return workspace.get() != null;
    }

    /** The vault was opened (created, unlocked or recovered) with {@code store}: this session owns it now. */
    void opened(LocalStore store) {
        boolean afterRecovery = recovered.get();
        lock();
        recovered.set(afterRecovery);
        lockNotice.set("");
        workspace.set(workstation.open(store));
    }

    /**
     * The vault was opened with a new passphrase set by the recovery key: the window confirms that before it shows
     * the workstation ({@link #recoveredProperty()} until {@link #recoveryConfirmed()}).
     */
    void openedAfterRecovery(LocalStore store) {
        recovered.set(true);
        opened(store);
    }

    /** True from a recovery until the person has read its confirmation (or the vault locks). */
    public ReadOnlyBooleanProperty recoveredProperty() {
        return recovered.getReadOnlyProperty();
    }

    /** The person read that the new passphrase is set: the workstation may show. */
    public void recoveryConfirmed() {
        recovered.set(false);
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
        UnlockedWorkspace open = workspace.get();
        recovered.set(false);
        if (open != null) {
            for (Consumer<UnlockedWorkspace> action : List.copyOf(beforeLock)) {
                try {
                    action.accept(open);
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(VaultSessionState.class).warn("Something could not stop before the lock", e);
                }
            }
            lockNotice.set(reason == null ? "" : reason);
            workspace.set(null);
            open.close();
        }
    }

    /**
     * Runs {@code action} with the workspace each time the vault is about to lock (the window closing included), before
     * any screen hears of it and before its keys are wiped: the place to stop what still uses it. FX thread.
     */
    public void beforeLock(Consumer<UnlockedWorkspace> action) {
        beforeLock.add(action);
    }

    /** Why the vault was last locked, when it was not the person's own doing (empty otherwise). */
    public ReadOnlyStringProperty lockNoticeProperty() {
        return lockNotice.getReadOnlyProperty();
    }

    /** A screen gave, withdrew or renewed a consent: screens that show what a consent covers look again. */
    public void consentsChanged() {
        consentChanges.set(consentChanges.get() + 1);
    }

    /** Counts {@link #consentsChanged()} calls; listen to it to hear of every change of consent in this window. */
    public ReadOnlyLongProperty consentChangesProperty() {
        return consentChanges.getReadOnlyProperty();
    }
}
