package org.sovereign.store.audit.note;

/**
 * A well-formed note that must be rejected: no trusted key signed it, a trusted key's signature is
 * invalid, or the trusted keys are ambiguous.
 */
public final class NoteVerificationException extends NoteException {
    public NoteVerificationException(String message) {
        super(message);
    }
}
