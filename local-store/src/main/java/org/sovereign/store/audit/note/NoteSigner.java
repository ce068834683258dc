package org.sovereign.store.audit.note;

import java.security.GeneralSecurityException;

/**
 * Something that can sign note text with an Ed25519 key: a JDK key pair
 * ({@link Ed25519NoteSigner}) today, the vault's device key later.
 */
public interface NoteSigner {
    /** The key name written in signature lines; no spaces and no '+'. */
    String keyName();

    /** The raw 32-byte Ed25519 public key. */
    byte[] publicKey();

    /** The 64-byte Ed25519 signature of {@code message}. */
    byte[] sign(byte[] message) throws GeneralSecurityException;

    /** The verifier key matching this signer (name, key id, public key). */
    default VerifierKey verifierKey() throws InvalidVerifierKeyException {
        return VerifierKey.ofEd25519(keyName(), publicKey());
    }
}
