package org.sovereign.store.audit;

/**
 * Base class of the audit log's checked exceptions: a proof, note, checkpoint or proof file that is
 * malformed or does not verify. Messages are plain English and safe to show to a user.
 */
public abstract class AuditException extends Exception {
    protected AuditException(String message) {
        super(message);
    }

    protected AuditException(String message, Throwable cause) {
        super(message, cause);
    }
}
