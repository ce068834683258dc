package org.sovereign.mesh.governance;

/** A governance record or request that is refused; the message says why, in a plain sentence. */
public class GovernanceException extends RuntimeException {
    public GovernanceException(String message) {
        super(message);
    }
}
