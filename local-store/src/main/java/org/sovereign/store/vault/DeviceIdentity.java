package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.Hex;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.X509EncodedKeySpec;

/**
 * The public half of the device's Ed25519 identity (not secret). The private half stays encrypted in
 * the vault; sign with {@link VaultSession#sign(byte[])}.
 */
public final class DeviceIdentity {
    /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410 §4): 12 bytes + 32-byte key. */
    private static final byte[] X509_PREFIX = Hex.decode("302a300506032b6570032100");
    /** Raw Ed25519 public key length. */
    public static final int PUBLIC_KEY_LENGTH = 32;

    private final byte[] publicKey;

    DeviceIdentity(byte[] rawPublicKey) {
        if (rawPublicKey.length != PUBLIC_KEY_LENGTH) {
            throw new CorruptVaultException("The stored device public key has the wrong length.");
        }
        this.publicKey = rawPublicKey.clone();
    }

    /** Extracts the raw 32-byte key from the JDK's X.509 encoding (its last 32 bytes). */
    static byte[] rawFromX509(byte[] x509) {
        byte[] raw = new byte[PUBLIC_KEY_LENGTH];
        System.arraycopy(x509, x509.length - PUBLIC_KEY_LENGTH, raw, 0, PUBLIC_KEY_LENGTH);
        return raw;
    }

    /** The raw 32-byte Ed25519 public key (a copy). */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** SHA-256 of the raw public key, lower-case hex in space-separated groups of four, for people to compare. */
    public String fingerprint() {
        try {
            String hex = Hex.encode(MessageDigest.getInstance("SHA-256").digest(publicKey));
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 4) {
                if (i > 0) {
                    out.append(' ');
                }
                out.append(hex, i, i + 4);
            }
            return out.toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Whether {@code signature} is this device's valid Ed25519 signature over {@code data}. */
    public boolean verify(byte[] data, byte[] signature) {
        try {
            byte[] x509 = new byte[X509_PREFIX.length + PUBLIC_KEY_LENGTH];
            System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
            System.arraycopy(publicKey, 0, x509, X509_PREFIX.length, PUBLIC_KEY_LENGTH);
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "DeviceIdentity[Ed25519 " + fingerprint() + "]";
    }
}
