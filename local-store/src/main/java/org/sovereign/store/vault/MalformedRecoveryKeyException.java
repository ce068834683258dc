package org.sovereign.store.vault;

/** A recovery key that cannot be read: wrong length, a foreign symbol, or a typo caught by its checksum. Nothing changed. */
public final class MalformedRecoveryKeyException extends VaultException {
    private static final long serialVersionUID = 1L;

    public MalformedRecoveryKeyException(String message) {
        super(message + " Nothing was changed.");
    }
}
