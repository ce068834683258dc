package org.sovereign.store.consent;

/** A consent event or receipt failed verification (bad signature, broken chain, replay, malformed). */
public class InvalidConsentException extends RuntimeException {
    public InvalidConsentException(String message) {
        super(message);
    }
}
