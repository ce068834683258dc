package org.sovereign.store.egress;

/** A socket was not opened because no consent or setting allows it. The message is a plain sentence. */
public final class EgressRefusedException extends RuntimeException {
    public EgressRefusedException(String message) {
        super(message);
    }
}
