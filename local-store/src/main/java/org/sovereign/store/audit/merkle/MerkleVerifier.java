package org.sovereign.store.audit.merkle;

import java.util.List;

/**
 * Verification of RFC 9162 inclusion (§2.1.3.2) and consistency (§2.1.4.2) proofs, hand-written like
 * {@link MerkleTree} (no well-kept Java library implements them). Needs only hashes,
 * so a third party holding no vault can check the log. Every method throws
 * {@link InvalidProofException} with a plain-English reason when the proof does not hold.
 */
public final class MerkleVerifier {
    private MerkleVerifier() {
    }

    /**
     * Verifies that {@code leafHash} is the leaf at {@code index} of the tree of {@code treeSize}
     * leaves whose root is {@code rootHash}.
     */
    public static void verifyInclusion(long index, long treeSize, byte[] leafHash, List<byte[]> proof,
            byte[] rootHash) throws InvalidProofException {
        checkHash(rootHash, "root hash");
        byte[] computed = rootFromInclusionProof(index, treeSize, leafHash, proof);
        if (!MerkleHash.equal(computed, rootHash)) {
            throw new InvalidProofException("inclusion proof does not lead to the given root hash");
        }
    }

    /**
     * Runs the RFC 9162 §2.1.3.2 algorithm and returns the root hash the proof leads to.
     *
     * @throws InvalidProofException if the arguments are out of range or the proof has the wrong shape
     */
    public static byte[] rootFromInclusionProof(long index, long treeSize, byte[] leafHash, List<byte[]> proof)
            throws InvalidProofException {
        if (treeSize <= 0) {
            throw new InvalidProofException("tree size " + treeSize + " has no leaves to prove");
        }
        if (index < 0 || index >= treeSize) {
            throw new InvalidProofException("leaf index " + index + " is outside the tree of size " + treeSize);
        }
        checkHash(leafHash, "leaf hash");
        checkProof(proof);
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new InvalidProofException("inclusion proof has too many hashes for this index and size");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleHash.node(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleHash.node(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("inclusion proof has too few hashes for this index and size");
        }
        return r;
    }

    /**
     * Verifies that the tree of {@code size1} leaves with root {@code root1} is a prefix of the tree of
     * {@code size2} leaves with root {@code root2}. For {@code size1 == size2} the proof must be empty
     * and the roots equal; for {@code size1 == 0} the proof must be empty.
     */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws InvalidProofException {
        if (size1 < 0 || size2 < 0) {
            throw new InvalidProofException("tree sizes must not be negative");
        }
        if (size1 > size2) {
            throw new InvalidProofException("size1 " + size1 + " is larger than size2 " + size2);
        }
        checkHash(root1, "first root hash");
        checkHash(root2, "second root hash");
        checkProof(proof);
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("consistency proof between equal sizes must be empty");
            }
            if (!MerkleHash.equal(root1, root2)) {
                throw new InvalidProofException("trees of equal size have different root hashes");
            }
            return;
        }
        if (size1 == 0) {
            if (!proof.isEmpty()) {
                throw new InvalidProofException("consistency proof from the empty tree must be empty");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new InvalidProofException("consistency proof is empty");
        }
        // RFC 9162 §2.1.4.2 step 2: when size1 is a power of two, root1 is itself the first node.
        boolean prependRoot1 = Long.bitCount(size1) == 1;
        int i = 0;
        byte[] first = prependRoot1 ? root1 : proof.get(i++);
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = first;
        byte[] sr = first;
        for (; i < proof.size(); i++) {
            byte[] c = proof.get(i);
            if (sn == 0) {
                throw new InvalidProofException("consistency proof has too many hashes for these sizes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleHash.node(c, fr);
                sr = MerkleHash.node(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleHash.node(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new InvalidProofException("consistency proof has too few hashes for these sizes");
        }
        if (!MerkleHash.equal(fr, root1)) {
            throw new InvalidProofException("consistency proof does not lead to the first root hash");
        }
        if (!MerkleHash.equal(sr, root2)) {
            throw new InvalidProofException("consistency proof does not lead to the second root hash");
        }
    }

    private static void checkHash(byte[] hash, String what) throws InvalidProofException {
        if (hash == null || hash.length != MerkleHash.SIZE) {
            throw new InvalidProofException(what + " must be " + MerkleHash.SIZE + " bytes");
        }
    }

    private static void checkProof(List<byte[]> proof) throws InvalidProofException {
        if (proof == null) {
            throw new InvalidProofException("proof is missing");
        }
        if (proof.size() > 64) {
            throw new InvalidProofException("proof has more than 64 hashes");
        }
        for (int i = 0; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            if (p == null || p.length != MerkleHash.SIZE) {
                throw new InvalidProofException("proof hash " + i + " must be " + MerkleHash.SIZE + " bytes");
            }
        }
    }
}
