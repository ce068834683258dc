package org.sovereign.app.ui.vault;

import org.sovereign.app.ui.WindowFixture;
import org.sovereign.core.Workstation;

/** For view-model tests: a window's vault session, unlocked as the unlock screen leaves it, without the screen. */
public final class UnlockedSession {

    private UnlockedSession() {
    }

    /** Unlocks {@code workstation}'s vault with {@link WindowFixture#PASSPHRASE}; call on the FX thread. */
    public static VaultSessionState of(Workstation workstation) {
        VaultSessionState session = new VaultSessionState(workstation);
        session.opened(workstation.store().unlock(WindowFixture.PASSPHRASE.toCharArray()));
        return session;
    }

    /** Unlocks {@code session} again (after a lock), as the unlock screen does; call on the FX thread. */
    public static void unlockAgain(VaultSessionState session, Workstation workstation) {
        session.opened(workstation.store().unlock(WindowFixture.PASSPHRASE.toCharArray()));
    }
}
