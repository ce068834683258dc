package org.sovereign.packs.signing;

import java.security.PublicKey;
import java.util.HexFormat;

/** Key ids: lowercase hex SHA-256 of a public key's SubjectPublicKeyInfo DER encoding. */
public final class KeyId {
    private KeyId() {
    }

    /** The key id (fingerprint) of {@code key}. */
    public static String of(PublicKey key) {
        return of(key.getEncoded());
    }

    /** The key id of SPKI DER bytes. */
    public static String of(byte[] spkiDer) {
        return HexFormat.of().formatHex(StreamingHasher.newSha256().digest(spkiDer));
    }

    /** The first 16 hex digits, for messages. */
    public static String shortForm(String keyId) {
        return keyId.length() > 16 ? keyId.substring(0, 16) : keyId;
    }
}
