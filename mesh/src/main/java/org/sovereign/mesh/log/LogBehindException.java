package org.sovereign.mesh.log;

/**
 * This member's own log is behind what peers hold of it (a vault restored from a backup): writing now would reuse a
 * sequence number, which peers would see as equivocation. Catch up from peers first.
 */
public final class LogBehindException extends IllegalStateException {
    public LogBehindException(String message) {
        super(message);
    }
}
