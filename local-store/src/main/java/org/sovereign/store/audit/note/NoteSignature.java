package org.sovereign.store.audit.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One signature line of a note: {@code — <key name> base64(key id || signature)}.
 *
 * @param keyName   the signing key's name
 * @param keyId     the signing key's 32-bit id
 * @param signature the signature bytes that follow the key id (64 bytes for Ed25519)
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {
    /** The em dash and space that start every signature line. */
    public static final String LINE_PREFIX = "\u2014 ";

    public NoteSignature {
        signature = signature.clone();
    }

    /** The signature line including its final newline. */
    public String line() {
        byte[] blob = new byte[4 + signature.length];
        blob[0] = (byte) (keyId >>> 24);
        blob[1] = (byte) (keyId >>> 16);
        blob[2] = (byte) (keyId >>> 8);
        blob[3] = (byte) keyId;
        System.arraycopy(signature, 0, blob, 4, signature.length);
        return LINE_PREFIX + keyName + " " + Base64.getEncoder().encodeToString(blob) + "\n";
    }

    /** Whether this signature names the given verifier key (same name and id). */
    public boolean isFrom(VerifierKey key) {
        return keyName.equals(key.name()) && keyId == key.keyId();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && keyName.equals(s.keyName) && keyId == s.keyId
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * keyName.hashCode() + keyId) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return keyName + "+" + HexFormat.of().toHexDigits(keyId);
    }
}
