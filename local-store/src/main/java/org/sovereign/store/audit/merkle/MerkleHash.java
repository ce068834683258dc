package org.sovereign.store.audit.merkle;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The RFC 9162 §2.1.1 hash functions over SHA-256: the empty tree hash, leaf hashes and interior
 * node hashes. All hashes are {@value #SIZE} bytes; every method returns a fresh array.
 */
public final class MerkleHash {
    /** Length in bytes of every hash in the tree. */
    public static final int SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private MerkleHash() {
    }

    /** The root of the empty tree: SHA-256 of the empty string. */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** The hash of a leaf: SHA-256(0x00 || entry). */
    public static byte[] leaf(byte[] entry) {
        MessageDigest md = sha256();
        md.update(LEAF_PREFIX);
        md.update(entry);
        return md.digest();
    }

    /** The hash of an interior node: SHA-256(0x01 || left || right). */
    public static byte[] node(byte[] left, byte[] right) {
        MessageDigest md = sha256();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /** Constant-time comparison of two hashes (false if either is null). */
    public static boolean equal(byte[] a, byte[] b) {
        return a != null && b != null && MessageDigest.isEqual(a, b);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
