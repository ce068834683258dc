package org.sovereign.store.audit.merkle;

import java.util.ArrayList;
import java.util.List;

/**
 * An append-only RFC 9162 (RFC 6962) Merkle tree over leaf hashes, able to compute the root of any
 * earlier size and inclusion and consistency proofs between any sizes.
 *
 * <p>This is hand-written: no well-maintained Java library implements RFC 9162 proofs. It keeps the
 * hash of every complete, aligned power-of-two subtree (level 0 holds the leaf hashes; level
 * {@code h} holds the hashes of the subtrees over leaves {@code [i*2^h, (i+1)*2^h)}), filled in as
 * leaves are appended. Every subtree the RFC algorithms ask for then splits into O(log n) cached
 * perfect subtrees, so roots cost O(log n) and proofs O(log² n) hash operations, independent of the
 * tree size. Memory is about two hashes (64 bytes) per leaf.
 *
 * <p>Not thread-safe: confine an instance to one thread or synchronise externally.
 */
public final class MerkleTree {
    /** levels.get(h) holds the hashes of the complete subtrees of 2^h leaves, in order. */
    private final List<HashStore> levels = new ArrayList<>();

    public MerkleTree() {
        levels.add(new HashStore());
    }

    /** Number of leaves appended so far. */
    public long size() {
        return levels.get(0).size();
    }

    /**
     * Appends an entry, hashing it as a leaf ({@link MerkleHash#leaf}).
     *
     * @return the zero-based index of the new leaf
     */
    public long appendEntry(byte[] entry) {
        return appendLeafHash(MerkleHash.leaf(entry));
    }

    /**
     * Appends an already computed 32-byte leaf hash.
     *
     * @return the zero-based index of the new leaf
     */
    public long appendLeafHash(byte[] leafHash) {
        requireHash(leafHash, "leaf hash");
        long index = size();
        levels.get(0).add(leafHash);
        // Each time the new node is a right child, its parent subtree has just become complete.
        byte[] hash = leafHash;
        for (int level = 0; ((index >>> level) & 1) == 1; level++) {
            byte[] left = levels.get(level).get((index >>> level) - 1);
            hash = MerkleHash.node(left, hash);
            if (levels.size() == level + 1) {
                levels.add(new HashStore());
            }
            levels.get(level + 1).add(hash);
        }
        return index;
    }

    /** The hash of leaf {@code index}. */
    public byte[] leafHash(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("leaf index " + index + " is outside the tree of size " + size());
        }
        return levels.get(0).get(index);
    }

    /** The root hash of the current tree. */
    public byte[] rootHash() {
        return rootHash(size());
    }

    /** The root hash of the tree made of the first {@code treeSize} leaves (0 gives the empty root). */
    public byte[] rootHash(long treeSize) {
        checkSize(treeSize);
        return treeSize == 0 ? MerkleHash.emptyRoot() : subtreeHash(0, treeSize);
    }

    /**
     * The RFC 9162 §2.1.3.1 inclusion proof of leaf {@code index} in the tree of the first
     * {@code treeSize} leaves: sibling hashes from the leaf up to the root's child.
     */
    public List<byte[]> inclusionProof(long index, long treeSize) {
        checkSize(treeSize);
        if (index < 0 || index >= treeSize) {
            throw new IllegalArgumentException("leaf index " + index + " is outside the tree of size " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(index, 0, treeSize, proof);
        return proof;
    }

    /**
     * The RFC 9162 §2.1.4.1 consistency proof between the trees of the first {@code size1} and
     * {@code size2} leaves. Empty when {@code size1} is 0 or equals {@code size2}.
     */
    public List<byte[]> consistencyProof(long size1, long size2) {
        checkSize(size2);
        if (size1 < 0 || size1 > size2) {
            throw new IllegalArgumentException("size1 " + size1 + " must be between 0 and size2 " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 > 0 && size1 < size2) {
            subproof(size1, 0, size2, true, proof);
        }
        return proof;
    }

    /** PATH(m, D[start:start+n]) from RFC 9162, appended to {@code out} leaf-side first. */
    private void path(long m, long start, long n, List<byte[]> out) {
        if (n == 1) {
            return;
        }
        long k = splitPoint(n);
        if (m < k) {
            path(m, start, k, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            path(m - k, start + k, n - k, out);
            out.add(subtreeHash(start, k));
        }
    }

    /** SUBPROOF(m, D[start:start+n], b) from RFC 9162, appended to {@code out}. */
    private void subproof(long m, long start, long n, boolean completeSubtree, List<byte[]> out) {
        if (m == n) {
            if (!completeSubtree) {
                out.add(subtreeHash(start, n));
            }
            return;
        }
        long k = splitPoint(n);
        if (m <= k) {
            subproof(m, start, k, completeSubtree, out);
            out.add(subtreeHash(start + k, n - k));
        } else {
            subproof(m - k, start + k, n - k, false, out);
            out.add(subtreeHash(start, k));
        }
    }

    /** MTH(D[start:start+n]) for n >= 1, served from the cached perfect subtrees where possible. */
    private byte[] subtreeHash(long start, long n) {
        if (Long.bitCount(n) == 1) {
            int level = Long.numberOfTrailingZeros(n);
            if ((start & (n - 1)) == 0) {
                return levels.get(level).get(start >>> level);
            }
        }
        long k = splitPoint(n);
        return MerkleHash.node(subtreeHash(start, k), subtreeHash(start + k, n - k));
    }

    /** The largest power of two strictly less than n (n >= 2). */
    static long splitPoint(long n) {
        return Long.highestOneBit(n - 1);
    }

    private void checkSize(long treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new IllegalArgumentException("tree size " + treeSize + " is outside 0.." + size());
        }
    }

    static void requireHash(byte[] hash, String what) {
        if (hash == null || hash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException(what + " must be " + MerkleHash.SIZE + " bytes");
        }
    }
}
