package org.sovereign.store.vault;

/** No scope with the given id exists in this vault. */
public final class UnknownScopeException extends VaultException {
    private static final long serialVersionUID = 1L;

    public UnknownScopeException(long scopeId) {
        super("There is no scope " + scopeId + " in this vault.");
    }
}
