package org.sovereign.store.audit.note;

/** A verifier key string ({@code name+keyid+base64}) or key name is malformed. */
public final class InvalidVerifierKeyException extends NoteException {
    public InvalidVerifierKeyException(String message) {
        super(message);
    }

    public InvalidVerifierKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
