package org.sovereign.store.vault.crypto;

import org.sovereign.store.vault.TamperedDataException;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM authenticated encryption (JDK provider) with a 96-bit random nonce and a 128-bit tag.
 *
 * <p>Sealed layout, all concatenated:
 * <pre>
 *   version (1 byte, = 1) | nonce (12 bytes) | ciphertext (same length as plaintext) | tag (16 bytes)
 * </pre>
 * The GCM associated data is {@code version byte || caller's associated data}, so the version byte
 * is authenticated too. Nonces come from the one {@link SecureRandom} given to the constructor; with
 * random 96-bit nonces a single key should seal well under 2<sup>32</sup> messages (NIST SP 800-38D),
 * far beyond what a personal vault writes per scope key.
 *
 * <p>Thread-safe. Plaintext passed in stays owned by the caller; plaintext returned is owned by the
 * caller, who should wipe it when done.
 */
public final class Aead {
    /** Version byte at the start of every sealed value. */
    public static final byte FORMAT_VERSION = 1;
    /** Nonce length in bytes (96 bits). */
    public static final int NONCE_LENGTH = 12;
    /** Tag length in bytes (128 bits). */
    public static final int TAG_LENGTH = 16;
    /** Bytes a sealed value adds to its plaintext. */
    public static final int OVERHEAD = 1 + NONCE_LENGTH + TAG_LENGTH;

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecureRandom random;

    public Aead(SecureRandom random) {
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Encrypts {@code plaintext} under {@code key}, binding {@code associatedData}. */
    public byte[] seal(KeyMaterial key, byte[] plaintext, byte[] associatedData) {
        byte[] nonce = new byte[NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] aad = withVersion(associatedData);
        byte[] body = encrypt(key.bytes(), nonce, aad, plaintext);
        byte[] out = new byte[1 + NONCE_LENGTH + body.length];
        out[0] = FORMAT_VERSION;
        System.arraycopy(nonce, 0, out, 1, NONCE_LENGTH);
        System.arraycopy(body, 0, out, 1 + NONCE_LENGTH, body.length);
        return out;
    }

    /**
     * Decrypts and authenticates a value made by {@link #seal}.
     *
     * @throws TamperedDataException if the value is malformed, was altered, or the key or associated
     *                               data differ from those used to seal it
     */
    public byte[] open(KeyMaterial key, byte[] sealed, byte[] associatedData) {
        if (sealed == null || sealed.length < OVERHEAD) {
            throw new TamperedDataException("Encrypted value is too short to be valid; it was truncated or altered.");
        }
        if (sealed[0] != FORMAT_VERSION) {
            throw new TamperedDataException("Encrypted value has an unknown format version " + sealed[0] + ".");
        }
        byte[] nonce = Arrays.copyOfRange(sealed, 1, 1 + NONCE_LENGTH);
        byte[] body = Arrays.copyOfRange(sealed, 1 + NONCE_LENGTH, sealed.length);
        try {
            return decrypt(key.bytes(), nonce, withVersion(associatedData), body);
        } catch (AEADBadTagException e) {
            throw new TamperedDataException(
                    "Encrypted data failed its integrity check: it was altered, or it belongs to another"
                            + " row, column, table or key.", e);
        }
    }

    private static byte[] withVersion(byte[] associatedData) {
        byte[] aad = new byte[1 + associatedData.length];
        aad[0] = FORMAT_VERSION;
        System.arraycopy(associatedData, 0, aad, 1, associatedData.length);
        return aad;
    }

    /** Raw AES-GCM encryption: returns ciphertext followed by the 16-byte tag. */
    static byte[] encrypt(byte[] key, byte[] nonce, byte[] aad, byte[] plaintext) {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
    }

    /** Raw AES-GCM decryption of ciphertext-followed-by-tag. */
    static byte[] decrypt(byte[] key, byte[] nonce, byte[] aad, byte[] ciphertextAndTag) throws AEADBadTagException {
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_LENGTH * 8, nonce));
            cipher.updateAAD(aad);
            return cipher.doFinal(ciphertextAndTag);
        } catch (AEADBadTagException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this Java runtime", e);
        }
    }
}
