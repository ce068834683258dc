package org.sovereign.store.vault;

/**
 * Encrypted data failed authentication: it was modified, truncated, or moved to another row, column,
 * table or key. The data is not returned.
 */
public final class TamperedDataException extends VaultException {
    private static final long serialVersionUID = 1L;

    public TamperedDataException(String message) {
        super(message);
    }

    public TamperedDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
