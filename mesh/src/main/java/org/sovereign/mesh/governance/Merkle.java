package org.sovereign.mesh.governance;

import org.sovereign.store.vault.crypto.Hex;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle root over a sorted list of record hashes: leaves are SHA-256(0x00 || hash), inner nodes
 * SHA-256(0x01 || left || right), an odd last node is carried up unchanged; the root of no leaves is SHA-256 of nothing.
 */
public final class Merkle {
    private Merkle() {
    }

    /** The root of {@code sortedHashes} (lower-case hex each), lower-case hex. */
    public static String root(List<String> sortedHashes) {
        if (sortedHashes.isEmpty()) {
            return Hex.encode(sha256(new byte[0]));
        }
        MessageDigest md = digest();
        List<byte[]> level = new ArrayList<>(sortedHashes.size());
        for (String h : sortedHashes) {
            level.add(sha256(md, (byte) 0, decode(h)));
        }
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>(level.size() / 2 + 1);
            for (int i = 0; i < level.size(); i += 2) {
                next.add(i + 1 < level.size() ? sha256(md, (byte) 1, level.get(i), level.get(i + 1)) : level.get(i));
            }
            level = next;
        }
        return Hex.encode(level.get(0));
    }

    /** Lower-case or upper-case hex to bytes (the hashes here are checked hex already). */
    private static byte[] decode(String hex) {
        if ((hex.length() & 1) != 0) {
            return Hex.decode(hex);
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(hex.charAt(2 * i), 16);
            int lo = Character.digit(hex.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return Hex.decode(hex);
            }
            out[i] = (byte) (hi << 4 | lo);
        }
        return out;
    }

    /** One hash with a reused digest (digest() resets it). */
    private static byte[] sha256(MessageDigest md, byte prefix, byte[]... parts) {
        md.update(prefix);
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    private static byte[] sha256(byte[] data) {
        return digest().digest(data);
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
