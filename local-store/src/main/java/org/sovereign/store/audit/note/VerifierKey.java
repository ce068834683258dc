package org.sovereign.store.audit.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A trusted Ed25519 note verifier: key name, 32-bit key id and raw public key. Its string form is
 * {@code <name>+<8 hex digit key id>+<base64(0x01 || public key)>}, e.g.
 * {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 *
 * @param name      the key name
 * @param keyId     SHA-256(name || 0x0A || 0x01 || public key)[:4], big-endian
 * @param publicKey the raw 32-byte Ed25519 public key
 */
public record VerifierKey(String name, int keyId, byte[] publicKey) {
    /** Signature type byte for Ed25519 in c2sp.org/signed-note. */
    public static final byte ED25519_TYPE = 0x01;

    public VerifierKey {
        publicKey = publicKey.clone();
    }

    /** Builds the verifier key for an Ed25519 public key, computing the key id. */
    public static VerifierKey ofEd25519(String name, byte[] publicKey) throws InvalidVerifierKeyException {
        checkKeyName(name);
        if (publicKey == null || publicKey.length != Ed25519Keys.KEY_SIZE) {
            throw new InvalidVerifierKeyException("an Ed25519 public key must be " + Ed25519Keys.KEY_SIZE + " bytes");
        }
        return new VerifierKey(name, keyId(name, publicKey), publicKey);
    }

    /** Parses {@code <name>+<hex key id>+<base64(0x01 || public key)>}, checking the key id. */
    public static VerifierKey parse(String encoded) throws InvalidVerifierKeyException {
        int plus1 = encoded.indexOf('+');
        int plus2 = plus1 < 0 ? -1 : encoded.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new InvalidVerifierKeyException("a verifier key has the form name+keyid+key");
        }
        String name = encoded.substring(0, plus1);
        String idHex = encoded.substring(plus1 + 1, plus2);
        checkKeyName(name);
        if (idHex.length() != 8 || !idHex.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new InvalidVerifierKeyException("a verifier key id is 8 lower-case hex digits");
        }
        byte[] key = decodeBase64(encoded.substring(plus2 + 1));
        if (key == null) {
            throw new InvalidVerifierKeyException("the verifier key material is not canonical base64");
        }
        if (key.length == 0 || key[0] != ED25519_TYPE) {
            throw new InvalidVerifierKeyException("unsupported verifier key type (only Ed25519, 0x01)");
        }
        if (key.length != 1 + Ed25519Keys.KEY_SIZE) {
            throw new InvalidVerifierKeyException("an Ed25519 verifier key must be 32 bytes");
        }
        byte[] raw = Arrays.copyOfRange(key, 1, key.length);
        int id = keyId(name, raw);
        if (id != Integer.parseUnsignedInt(idHex, 16)) {
            throw new InvalidVerifierKeyException("verifier key id does not match the key name and key");
        }
        return new VerifierKey(name, id, raw);
    }

    /** The string form {@code <name>+<hex key id>+<base64(0x01 || public key)>}. */
    public String encode() {
        byte[] key = new byte[1 + publicKey.length];
        key[0] = ED25519_TYPE;
        System.arraycopy(publicKey, 0, key, 1, publicKey.length);
        return name + "+" + keyIdHex() + "+" + Base64.getEncoder().encodeToString(key);
    }

    /** The key id as 8 lower-case hex digits. */
    public String keyIdHex() {
        return HexFormat.of().toHexDigits(keyId);
    }

    /** Whether {@code signature} is this key's Ed25519 signature of {@code message}. */
    public boolean verify(byte[] message, byte[] signature) {
        return Ed25519Keys.verify(publicKey, message, signature);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** The Ed25519 key id: SHA-256(name || 0x0A || 0x01 || public key)[:4] as a big-endian int. */
    public static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0x0A);
            md.update(ED25519_TYPE);
            md.update(publicKey);
            byte[] h = md.digest();
            return ((h[0] & 0xff) << 24) | ((h[1] & 0xff) << 16) | ((h[2] & 0xff) << 8) | (h[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** Rejects key names that are empty or contain Unicode spaces, '+' or control characters. */
    static void checkKeyName(String name) throws InvalidVerifierKeyException {
        if (!isValidKeyName(name)) {
            throw new InvalidVerifierKeyException("a key name must be non-empty, without spaces, '+' or control characters");
        }
    }

    static boolean isValidKeyName(String name) {
        if (name == null || name.isEmpty()) {
            return false;
        }
        return name.codePoints().noneMatch(cp -> cp == '+' || cp < 0x20 || cp == 0x7f
                || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isSurrogate((char) cp));
    }

    /** Strict standard base64 (padded, canonical); null if {@code text} is not. */
    static byte[] decodeBase64(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey k && name.equals(k.name) && keyId == k.keyId
                && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + keyId) + Arrays.hashCode(publicKey);
    }

    @Override
    public String toString() {
        return encode();
    }
}
