package org.sovereign.store.vault;

/**
 * The scope's data key has been destroyed (crypto-shredded), so its data can never be decrypted
 * from this vault again.
 */
public final class ScopeErasedException extends VaultException {
    private static final long serialVersionUID = 1L;

    public ScopeErasedException(long scopeId) {
        super("Scope " + scopeId + " has been erased; its data can no longer be decrypted.");
    }
}
