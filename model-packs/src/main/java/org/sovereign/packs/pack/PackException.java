package org.sovereign.packs.pack;

/**
 * A model pack was refused. Every subclass carries a one-line, plain-English message that can be shown
 * to the user as is; the cause (if any) is kept for logs only.
 */
public class PackException extends RuntimeException {
    public PackException(String message) {
        super(message);
    }

    public PackException(String message, Throwable cause) {
        super(message, cause);
    }
}
