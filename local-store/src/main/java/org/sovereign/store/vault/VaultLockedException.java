package org.sovereign.store.vault;

/** An operation needed the vault's keys, but the session has been locked. */
public final class VaultLockedException extends VaultException {
    private static final long serialVersionUID = 1L;

    public VaultLockedException() {
        super("The vault is locked. Unlock it with the passphrase first.");
    }
}
