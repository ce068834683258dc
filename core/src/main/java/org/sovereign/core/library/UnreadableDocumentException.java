package org.sovereign.core.library;

import org.sovereign.core.common.UserFacingException;

/** A document could not be read (corrupt, encrypted, unsupported); the message names the file and why. */
public class UnreadableDocumentException extends UserFacingException {
    public UnreadableDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
