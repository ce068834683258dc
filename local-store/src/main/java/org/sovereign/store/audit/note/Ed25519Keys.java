package org.sovereign.store.audit.note;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Conversions between the JDK's Ed25519 key encodings and raw RFC 8032 keys, and raw-key
 * verification. An Ed25519 X.509 SubjectPublicKeyInfo is a fixed 12-byte prefix and the 32-byte key.
 */
public final class Ed25519Keys {
    /** Length of a raw Ed25519 public key, private seed, in bytes. */
    public static final int KEY_SIZE = 32;
    /** Length of an Ed25519 signature in bytes. */
    public static final int SIGNATURE_SIZE = 64;

    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519Keys() {
    }

    /** The raw 32-byte public key of a JDK Ed25519 public key. */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (!"X.509".equals(key.getFormat()) || der == null || der.length != SPKI_PREFIX.length + KEY_SIZE
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    /** A JDK public key from a raw 32-byte Ed25519 public key. */
    public static PublicKey publicKey(byte[] raw) throws InvalidKeySpecException {
        if (raw == null || raw.length != KEY_SIZE) {
            throw new InvalidKeySpecException("an Ed25519 public key is " + KEY_SIZE + " bytes");
        }
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + KEY_SIZE);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, KEY_SIZE);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is required by Java 15 and later", e);
        }
    }

    /** A JDK key pair from a 32-byte RFC 8032 private key seed (the public half is derived). */
    public static KeyPair keyPairFromSeed(byte[] seed) throws InvalidKeySpecException {
        if (seed == null || seed.length != KEY_SIZE) {
            throw new InvalidKeySpecException("an Ed25519 private key seed is " + KEY_SIZE + " bytes");
        }
        byte[] rawPublic = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed.clone()));
            return new KeyPair(publicKey(rawPublic), privateKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Ed25519 is required by Java 15 and later", e);
        }
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} by the raw key. */
    public static boolean verify(byte[] rawPublicKey, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(publicKey(rawPublicKey));
            verifier.update(message);
            return verifier.verify(signature);
        } catch (InvalidKeySpecException | InvalidKeyException | SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required by Java 15 and later", e);
        }
    }
}
