package org.sovereign.core.common;

/**
 * A failure caused by the person's input or environment, whose message is a complete plain sentence that can
 * be shown as it is (CLI: one line on stderr with exit code 1; GUI: the dialog's main text).
 */
public class UserFacingException extends RuntimeException {
    public UserFacingException(String message) {
        super(message);
    }

    public UserFacingException(String message, Throwable cause) {
        super(message, cause);
    }
}
