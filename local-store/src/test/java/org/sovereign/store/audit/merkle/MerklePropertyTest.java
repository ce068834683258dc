package org.sovereign.store.audit.merkle;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exhaustive and seeded-random properties of proofs produced by {@link MerkleTree}. */
class MerklePropertyTest {
    private static final int MAX_SIZE = 100;
    /** Sizes covered by the (slower) every-bit mutation tests. */
    private static final int FLIP_MAX_SIZE = 64;

    private static MerkleTree randomTree(long seed, int size) {
        Random random = new Random(seed);
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            byte[] entry = new byte[random.nextInt(40)];
            random.nextBytes(entry);
            tree.appendEntry(entry);
        }
        return tree;
    }

    /** The plain recursive MTH of RFC 9162 §2.1.1, written independently of the cached tree. */
    private static byte[] referenceRoot(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return MerkleHash.emptyRoot();
        }
        if (leafHashes.size() == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(leafHashes.size() - 1);
        return MerkleHash.node(referenceRoot(leafHashes.subList(0, k)),
                referenceRoot(leafHashes.subList(k, leafHashes.size())));
    }

    @Test
    void rootsAgreeWithPlainRecursiveDefinition() {
        MerkleTree tree = randomTree(1, 140);
        List<byte[]> leaves = new ArrayList<>();
        for (int size = 0; size <= 140; size++) {
            assertThat(tree.rootHash(size)).as("size %d", size).isEqualTo(referenceRoot(leaves));
            if (size < 140) {
                leaves.add(tree.leafHash(size));
            }
        }
    }

    @Test
    void everyInclusionProofOfEveryLeafVerifies() throws InvalidProofException {
        MerkleTree tree = randomTree(2, MAX_SIZE);
        for (long size = 1; size <= MAX_SIZE; size++) {
            byte[] root = tree.rootHash(size);
            for (long index = 0; index < size; index++) {
                List<byte[]> proof = tree.inclusionProof(index, size);
                MerkleVerifier.verifyInclusion(index, size, tree.leafHash(index), proof, root);
                assertThat(MerkleVerifier.rootFromInclusionProof(index, size, tree.leafHash(index), proof))
                        .isEqualTo(root);
            }
        }
    }

    @Test
    void everyConsistencyProofBetweenEveryPairVerifies() throws InvalidProofException {
        MerkleTree tree = randomTree(3, MAX_SIZE);
        for (long size2 = 0; size2 <= MAX_SIZE; size2++) {
            byte[] root2 = tree.rootHash(size2);
            for (long size1 = 0; size1 <= size2; size1++) {
                List<byte[]> proof = tree.consistencyProof(size1, size2);
                MerkleVerifier.verifyConsistency(size1, size2, tree.rootHash(size1), root2, proof);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {41, 42, 43})
    void anySingleBitFlipBreaksInclusion(long seed) {
        MerkleTree tree = randomTree(seed, FLIP_MAX_SIZE);
        Random random = new Random(seed);
        for (long s = 1; s <= FLIP_MAX_SIZE; s++) {
            long size = s;
            byte[] root = tree.rootHash(size);
            long index = random.nextInt((int) size);
            byte[] leaf = tree.leafHash(index);
            List<byte[]> proof = tree.inclusionProof(index, size);
            for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
                int b = bit;
                assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, flip(leaf, b), proof, root))
                        .isInstanceOf(InvalidProofException.class);
                assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, leaf, proof, flip(root, b)))
                        .isInstanceOf(InvalidProofException.class);
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    bad.set(i, flip(proof.get(i), b));
                    assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, leaf, bad, root))
                            .isInstanceOf(InvalidProofException.class);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {51, 52, 53})
    void anySingleBitFlipBreaksConsistency(long seed) {
        MerkleTree tree = randomTree(seed, FLIP_MAX_SIZE);
        Random random = new Random(seed);
        for (long s2 = 2; s2 <= FLIP_MAX_SIZE; s2++) {
            long size2 = s2;
            long size1 = 1 + random.nextInt((int) size2 - 1);
            byte[] root1 = tree.rootHash(size1);
            byte[] root2 = tree.rootHash(size2);
            List<byte[]> proof = tree.consistencyProof(size1, size2);
            for (int bit = 0; bit < MerkleHash.SIZE * 8; bit++) {
                int b = bit;
                assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, flip(root1, b), root2, proof))
                        .isInstanceOf(InvalidProofException.class);
                assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, flip(root2, b), proof))
                        .isInstanceOf(InvalidProofException.class);
                for (int i = 0; i < proof.size(); i++) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    bad.set(i, flip(proof.get(i), b));
                    assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, bad))
                            .isInstanceOf(InvalidProofException.class);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void proofsDoNotVerifyForOtherPositionsOrSizes(long seed) {
        MerkleTree tree = randomTree(seed, 40);
        Random random = new Random(seed);
        for (int round = 0; round < 200; round++) {
            long size = 2 + random.nextInt(39);
            long index = random.nextInt((int) size);
            List<byte[]> proof = tree.inclusionProof(index, size);
            byte[] root = tree.rootHash(size);
            long otherIndex = (index + 1 + random.nextInt((int) size - 1)) % size;
            assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(otherIndex, size, tree.leafHash(index), proof, root))
                    .isInstanceOf(InvalidProofException.class);
            assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, tree.leafHash(otherIndex), proof, root))
                    .isInstanceOf(InvalidProofException.class);
            List<byte[]> extended = new ArrayList<>(proof);
            extended.add(root);
            assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, tree.leafHash(index), extended, root))
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    @Test
    void rejectsOutOfRangeArguments() {
        MerkleTree tree = randomTree(6, 8);
        byte[] root = tree.rootHash();
        byte[] leaf = tree.leafHash(0);
        List<byte[]> proof = tree.inclusionProof(0, 8);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(8, 8, leaf, proof, root))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(-1, 8, leaf, proof, root))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(0, 0, leaf, List.of(), root))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(0, 8, new byte[31], proof, root))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(5, 4, root, root, List.of()))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("larger");
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(4, 4, tree.rootHash(4), root, List.of()))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(0, 4, root, root, List.of(root)))
                .isInstanceOf(InvalidProofException.class);
        assertThatCode(() -> MerkleVerifier.verifyConsistency(0, 4, MerkleHash.emptyRoot(), tree.rootHash(4), List.of()))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> tree.inclusionProof(8, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.rootHash(9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.consistencyProof(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tree.appendLeafHash(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void returnedHashesAreCopies() {
        MerkleTree tree = randomTree(7, 4);
        byte[] before = tree.rootHash();
        tree.leafHash(0)[0] ^= 1;
        tree.inclusionProof(0, 4).get(0)[0] ^= 1;
        assertThat(tree.rootHash()).isEqualTo(before);
    }

    static byte[] flip(byte[] hash, int bit) {
        byte[] copy = hash.clone();
        copy[bit / 8] ^= (byte) (1 << (bit % 8));
        return copy;
    }
}
