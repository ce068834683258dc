package org.sovereign.store.vault;

/**
 * The vault is open in another Sovereign process (or, in this process, through another handle): only one may have it
 * open at a time, so nothing was opened or changed. Close it there and try again.
 */
public final class VaultInUseException extends VaultException {
    private static final long serialVersionUID = 1L;

    public VaultInUseException(String message) {
        super(message);
    }
}
