package org.sovereign.store.audit.note;

import org.sovereign.store.audit.AuditException;

/** A signed note, signature or key string that is malformed or fails verification. */
public abstract class NoteException extends AuditException {
    protected NoteException(String message) {
        super(message);
    }

    protected NoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
