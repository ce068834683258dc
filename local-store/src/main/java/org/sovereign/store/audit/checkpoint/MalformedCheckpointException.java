package org.sovereign.store.audit.checkpoint;

import org.sovereign.store.audit.AuditException;

/** Note text that is not a well-formed checkpoint body. */
public final class MalformedCheckpointException extends AuditException {
    public MalformedCheckpointException(String message) {
        super("malformed checkpoint: " + message);
    }
}
