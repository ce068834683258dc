package org.sovereign.store.audit.log;

/**
 * The audit log does not match what was signed: entries changed, removed, reordered or rolled back, or a checkpoint
 * is forged or contradicts another. The message says what was found, in plain words.
 */
public class AuditTamperedException extends RuntimeException {
    public AuditTamperedException(String message) {
        super(message);
    }

    public AuditTamperedException(String message, Throwable cause) {
        super(message, cause);
    }
}
