package org.sovereign.packs.signing;

/**
 * Signing or verification failed. Subclasses carry a one-line, plain-English message naming the file or
 * field at fault; the cause (if any) is for logs only.
 */
public class OmsException extends RuntimeException {
    public OmsException(String message) {
        super(message);
    }

    public OmsException(String message, Throwable cause) {
        super(message, cause);
    }
}
