package org.sovereign.core.config;

import org.sovereign.core.common.UserFacingException;

/** The data directory cannot be used; the message says which one and why, in plain words. */
public class DataDirectoryException extends UserFacingException {
    public DataDirectoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
