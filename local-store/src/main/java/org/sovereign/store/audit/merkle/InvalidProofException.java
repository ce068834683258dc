package org.sovereign.store.audit.merkle;

import org.sovereign.store.audit.AuditException;

/** An inclusion or consistency proof is malformed or does not match the claimed hashes. */
public final class InvalidProofException extends AuditException {
    public InvalidProofException(String message) {
        super(message);
    }
}
