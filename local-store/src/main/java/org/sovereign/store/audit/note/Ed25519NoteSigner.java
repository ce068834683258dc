package org.sovereign.store.audit.note;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;

/** A {@link NoteSigner} backed by a JDK Ed25519 {@link KeyPair}. */
public final class Ed25519NoteSigner implements NoteSigner {
    private final String keyName;
    private final byte[] publicKey;
    private final PrivateKey privateKey;

    /**
     * @param keyName the key name for signature lines (validated as a note key name)
     * @param keyPair an Ed25519 key pair, e.g. from {@code KeyPairGenerator.getInstance("Ed25519")}
     * @throws InvalidVerifierKeyException if the name is not a valid key name
     * @throws IllegalArgumentException if the key pair is not Ed25519
     */
    public Ed25519NoteSigner(String keyName, KeyPair keyPair) throws InvalidVerifierKeyException {
        VerifierKey.checkKeyName(keyName);
        this.keyName = keyName;
        this.publicKey = Ed25519Keys.rawPublicKey(keyPair.getPublic());
        this.privateKey = keyPair.getPrivate();
        if (!"Ed25519".equalsIgnoreCase(privateKey.getAlgorithm()) && !"EdDSA".equalsIgnoreCase(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("not an Ed25519 private key: " + privateKey.getAlgorithm());
        }
    }

    @Override
    public String keyName() {
        return keyName;
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] sign(byte[] message) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("Ed25519");
        signature.initSign(privateKey);
        signature.update(message);
        return signature.sign();
    }
}
