package org.sovereign.store.vault;

/** The vault file is damaged, truncated or not a vault at all. The file is left as it is. */
public final class CorruptVaultException extends VaultException {
    private static final long serialVersionUID = 1L;

    public CorruptVaultException(String message) {
        super(message);
    }

    public CorruptVaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
