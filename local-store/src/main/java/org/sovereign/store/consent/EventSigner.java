package org.sovereign.store.consent;

/**
 * Signs consent events with the device's Ed25519 key. The private key stays with the implementation (the unlocked
 * vault); callers get signatures only.
 */
public interface EventSigner {

    /** The raw 32-byte Ed25519 public key. */
    byte[] publicKey();

    /** An Ed25519 signature over {@code message}. */
    byte[] sign(byte[] message);
}
