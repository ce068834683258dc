package org.sovereign.store.vault.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives purpose-specific sub-keys from a parent key: {@code HMAC-SHA256(parent, label)} where the
 * label is the {@link CanonicalEncoding} of ({@value #DOMAIN}, purpose). This is a single-block
 * HKDF-Expand-style PRF; the parent is already uniformly random, so no extract step is needed.
 */
public final class KeyDerivation {
    /** Domain label of derivation inputs. */
    public static final String DOMAIN = "sovereign.vault.subkey.v1";

    private KeyDerivation() {
    }

    /** A new key for {@code purpose}; the caller owns the result, the parent stays with its owner. */
    public static KeyMaterial derive(KeyMaterial parent, String purpose) {
        return KeyMaterial.adopt(hmacSha256(parent.bytes(),
                CanonicalEncoding.of(DOMAIN).add(purpose).toBytes()));
    }

    static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available in this Java runtime", e);
        }
    }
}
