package org.sovereign.store.vault.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A symmetric key held in a private array that is wiped on {@link #close()}.
 *
 * <p>Ownership: whoever creates or receives an instance owns it and must close it (try-with-resources
 * or an explicit {@code close()} in the owner's lock/erase path). The raw bytes never leave this
 * package; {@link #toString()} never prints them. After closing, any use throws
 * {@link IllegalStateException}.
 *
 * <p>Limitation: the JDK copies key bytes into its own {@code SecretKeySpec}/cipher objects, which
 * cannot be wiped; those copies become garbage right after each operation.
 */
public final class KeyMaterial implements AutoCloseable {
    /** Length of every key the vault uses: 256 bits. */
    public static final int KEY_LENGTH = 32;

    private final byte[] bytes;
    private volatile boolean destroyed;

    private KeyMaterial(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A fresh random 256-bit key. */
    public static KeyMaterial random(SecureRandom random) {
        byte[] b = new byte[KEY_LENGTH];
        random.nextBytes(b);
        return new KeyMaterial(b);
    }

    /** Takes ownership of {@code bytes} (no copy): the array is wiped when this key is closed. */
    static KeyMaterial adopt(byte[] bytes) {
        if (bytes.length != KEY_LENGTH) {
            Secrets.wipe(bytes);
            throw new IllegalArgumentException("A key must be " + KEY_LENGTH + " bytes long");
        }
        return new KeyMaterial(bytes);
    }

    /** A key from a copy of {@code bytes}; the caller keeps ownership of (and wipes) its array. */
    public static KeyMaterial copyOf(byte[] bytes) {
        return adopt(bytes.clone());
    }

    /** The live key bytes (not a copy); callers inside this package must not keep or leak them. */
    byte[] bytes() {
        if (destroyed) {
            throw new IllegalStateException("This key has been wiped");
        }
        return bytes;
    }

    /** Constant-time comparison with another key. */
    public boolean sameKeyAs(KeyMaterial other) {
        return MessageDigest.isEqual(bytes(), other.bytes());
    }

    public boolean isDestroyed() {
        return destroyed;
    }

    /** Wipes the key bytes. Idempotent. */
    @Override
    public void close() {
        destroyed = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return destroyed ? "KeyMaterial[wiped]" : "KeyMaterial[" + (KEY_LENGTH * 8) + "-bit, redacted]";
    }
}
