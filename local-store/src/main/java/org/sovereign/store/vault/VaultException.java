package org.sovereign.store.vault;

/**
 * Base class of every failure the vault reports. Messages are plain English, safe to show to the
 * user and to log: they never contain key material, passphrases or plaintext.
 */
public class VaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public VaultException(String message) {
        super(message);
    }

    public VaultException(String message, Throwable cause) {
        super(message, cause);
    }
}
