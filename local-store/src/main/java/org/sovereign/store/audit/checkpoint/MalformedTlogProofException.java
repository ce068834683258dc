package org.sovereign.store.audit.checkpoint;

import org.sovereign.store.audit.AuditException;

/** Text that is not a well-formed c2sp.org/tlog-proof@v1 proof file. */
public final class MalformedTlogProofException extends AuditException {
    public MalformedTlogProofException(String message) {
        super("malformed tlog proof: " + message);
    }

    public MalformedTlogProofException(String message, Throwable cause) {
        super("malformed tlog proof: " + message, cause);
    }
}
