package org.sovereign.store.vault;

/** A well-formed recovery key that does not open this vault (another vault's, or one since replaced). Nothing changed. */
public final class WrongRecoveryKeyException extends VaultException {
    private static final long serialVersionUID = 1L;

    public WrongRecoveryKeyException() {
        super("That recovery key does not open this vault (it may belong to another vault, or it was replaced or "
                + "removed). Nothing was changed.");
    }
}
