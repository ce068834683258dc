package org.sovereign.packs.runtime;

/** The local inference runtime cannot be used on this machine (for example its native library failed to load). */
public class RuntimeUnavailableException extends RuntimeException {
    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
