package org.sovereign.mesh.log;

/** A record that cannot be read or written as the format says; the message says what is wrong in plain words. */
public final class MalformedRecordException extends RuntimeException {
    public MalformedRecordException(String message) {
        super(message);
    }
}
