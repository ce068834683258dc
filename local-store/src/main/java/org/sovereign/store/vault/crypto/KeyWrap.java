package org.sovereign.store.vault.crypto;

import org.sovereign.store.vault.TamperedDataException;

import java.util.Objects;

/**
 * Wraps (encrypts) a key under a parent key with {@link Aead}. The associated data binds the wrapped
 * key's id, its purpose and an optional caller binding (for the master key: the vault header's format
 * version, KDF parameters and salt), so a wrapped key cannot be swapped for another one or re-used
 * under altered header fields.
 */
public final class KeyWrap {
    /** Domain label of the associated data. */
    public static final String DOMAIN = "sovereign.vault.keywrap.v1";

    private final Aead aead;

    public KeyWrap(Aead aead) {
        this.aead = Objects.requireNonNull(aead, "aead");
    }

    /** Wraps {@code child}; both keys stay owned by the caller. */
    public byte[] wrap(KeyMaterial parent, KeyMaterial child, String keyId, String purpose, byte[] binding) {
        return aead.seal(parent, child.bytes(), aad(keyId, purpose, binding));
    }

    /**
     * Unwraps a key; the caller owns (and must close) the result.
     *
     * @throws TamperedDataException if the parent key is wrong or anything bound was changed
     */
    public KeyMaterial unwrap(KeyMaterial parent, byte[] wrapped, String keyId, String purpose, byte[] binding) {
        byte[] raw = aead.open(parent, wrapped, aad(keyId, purpose, binding));
        if (raw.length != KeyMaterial.KEY_LENGTH) {
            Secrets.wipe(raw);
            throw new TamperedDataException("Unwrapped key has the wrong length.");
        }
        return KeyMaterial.adopt(raw);
    }

    static byte[] aad(String keyId, String purpose, byte[] binding) {
        return CanonicalEncoding.of(DOMAIN).add(keyId).add(purpose).add(binding).toBytes();
    }
}
