package org.sovereign.store.audit.merkle;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A one-million-leaf tree: proofs of a handful of leaves at full and earlier sizes verify. */
class MerkleLargeTreeTest {
    private static final int LEAVES = 1_000_000;

    @Test
    void millionLeafTreeProofsVerify() throws InvalidProofException {
        Random random = new Random(20261124);
        MerkleTree tree = new MerkleTree();
        byte[] hash = new byte[MerkleHash.SIZE];
        for (int i = 0; i < LEAVES; i++) {
            random.nextBytes(hash);
            tree.appendLeafHash(hash);
        }
        assertThat(tree.size()).isEqualTo(LEAVES);
        byte[] root = tree.rootHash();
        for (long index : new long[] {0, 1, 524_287, 524_288, 999_998, 999_999, random.nextInt(LEAVES)}) {
            List<byte[]> proof = tree.inclusionProof(index, LEAVES);
            assertThat(proof.size()).isBetween(1, 20);
            MerkleVerifier.verifyInclusion(index, LEAVES, tree.leafHash(index), proof, root);
        }
        long size1 = 777_777;
        List<byte[]> consistency = tree.consistencyProof(size1, LEAVES);
        MerkleVerifier.verifyConsistency(size1, LEAVES, tree.rootHash(size1), root, consistency);
        byte[] otherLeaf = tree.leafHash(1);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(0, LEAVES, otherLeaf, tree.inclusionProof(0, LEAVES), root))
                .isInstanceOf(InvalidProofException.class);
    }
}
