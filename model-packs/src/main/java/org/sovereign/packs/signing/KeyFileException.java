package org.sovereign.packs.signing;

/** A key file could not be read or written (wrong format, wrong algorithm, already exists). */
public class KeyFileException extends OmsException {
    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
