package org.sovereign.store.vault;

/**
 * The passphrase did not unlock the vault. Because the key-derivation parameters and salt are
 * authenticated together with the master key, an altered vault header produces this same error:
 * the two cases cannot be told apart without the right passphrase. Nothing on disk is changed.
 */
public final class WrongPassphraseException extends VaultException {
    private static final long serialVersionUID = 1L;

    public WrongPassphraseException() {
        super("The passphrase is wrong (or the vault header has been altered). Nothing was changed.");
    }
}
