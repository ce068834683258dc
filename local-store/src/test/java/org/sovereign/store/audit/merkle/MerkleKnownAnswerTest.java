package org.sovereign.store.audit.merkle;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Known answers: the 8 reference leaves and the roots of every size 0..8, as published by
 * transparency-dev/merkle (testonly/constants.go) and google/certificate-transparency
 * (cpp/merkletree/merkle_tree_test.cc). See src/test/resources/rfc9162/README.md.
 */
class MerkleKnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243",
            "5051525354555657", "606162636465666768696a6b6c6d6e6f");

    static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static final List<String> LEAF_HASHES = List.of(
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
            "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1");

    static MerkleTree referenceTree() {
        MerkleTree tree = new MerkleTree();
        LEAVES.forEach(leaf -> tree.appendEntry(HEX.parseHex(leaf)));
        return tree;
    }

    @Test
    void emptyRootIsSha256OfNothing() {
        assertThat(HEX.formatHex(MerkleHash.emptyRoot())).isEqualTo(ROOTS.get(0));
        assertThat(HEX.formatHex(new MerkleTree().rootHash())).isEqualTo(ROOTS.get(0));
    }

    @Test
    void leafHashesMatchReference() {
        for (int i = 0; i < LEAVES.size(); i++) {
            assertThat(HEX.formatHex(MerkleHash.leaf(HEX.parseHex(LEAVES.get(i))))).as("leaf %d", i)
                    .isEqualTo(LEAF_HASHES.get(i));
        }
    }

    @Test
    void everyPrefixRootMatchesReference() {
        MerkleTree tree = referenceTree();
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(tree.rootHash(size))).as("root of size %d", size).isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void rootsWhileGrowingMatchReference() {
        MerkleTree tree = new MerkleTree();
        for (int size = 1; size <= 8; size++) {
            tree.appendEntry(HEX.parseHex(LEAVES.get(size - 1)));
            assertThat(HEX.formatHex(tree.rootHash())).as("root after %d appends", size).isEqualTo(ROOTS.get(size));
        }
    }

    @Test
    void interiorNodesMatchReference() {
        // Level-1 and level-2 node hashes of the reference tree (testonly/constants.go NodeHashes).
        byte[] n10 = MerkleHash.node(HEX.parseHex(LEAF_HASHES.get(0)), HEX.parseHex(LEAF_HASHES.get(1)));
        byte[] n11 = MerkleHash.node(HEX.parseHex(LEAF_HASHES.get(2)), HEX.parseHex(LEAF_HASHES.get(3)));
        assertThat(HEX.formatHex(n10)).isEqualTo("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        assertThat(HEX.formatHex(n11)).isEqualTo("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e");
        assertThat(HEX.formatHex(MerkleHash.node(n10, n11)))
                .isEqualTo("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
    }

    /** Inclusion paths of google/certificate-transparency kSHA256Paths (1-based leaf there). */
    @Test
    void inclusionPathsMatchCertificateTransparencyVectors() throws InvalidProofException {
        MerkleTree tree = referenceTree();
        assertPath(tree, 0, 1);
        assertPath(tree, 0, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertPath(tree, 5, 8, "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertPath(tree, 2, 3, "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        assertPath(tree, 1, 5, "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    }

    /** Consistency proofs of google/certificate-transparency kSHA256Proofs. */
    @Test
    void consistencyProofsMatchCertificateTransparencyVectors() throws InvalidProofException {
        MerkleTree tree = referenceTree();
        assertConsistency(tree, 1, 1);
        assertConsistency(tree, 1, 8, "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertConsistency(tree, 6, 8, "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertConsistency(tree, 2, 5, "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
    }

    private static void assertPath(MerkleTree tree, long index, long size, String... hexPath) throws InvalidProofException {
        List<byte[]> expected = Arrays.stream(hexPath).map(HEX::parseHex).toList();
        assertThat(tree.inclusionProof(index, size)).as("path %d/%d", index, size).containsExactlyElementsOf(expected);
        MerkleVerifier.verifyInclusion(index, size, HEX.parseHex(LEAF_HASHES.get((int) index)), expected,
                HEX.parseHex(ROOTS.get((int) size)));
    }

    private static void assertConsistency(MerkleTree tree, long size1, long size2, String... hexProof)
            throws InvalidProofException {
        List<byte[]> expected = Arrays.stream(hexProof).map(HEX::parseHex).toList();
        assertThat(tree.consistencyProof(size1, size2)).as("proof %d..%d", size1, size2).containsExactlyElementsOf(expected);
        MerkleVerifier.verifyConsistency(size1, size2, HEX.parseHex(ROOTS.get((int) size1)),
                HEX.parseHex(ROOTS.get((int) size2)), expected);
    }

    @Test
    void splitPointIsLargestPowerOfTwoBelow() {
        assertThat(MerkleTree.splitPoint(2)).isEqualTo(1);
        assertThat(MerkleTree.splitPoint(3)).isEqualTo(2);
        assertThat(MerkleTree.splitPoint(4)).isEqualTo(2);
        assertThat(MerkleTree.splitPoint(5)).isEqualTo(4);
        assertThat(MerkleTree.splitPoint(8)).isEqualTo(4);
        assertThat(MerkleTree.splitPoint(9)).isEqualTo(8);
    }
}
