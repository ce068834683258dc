package org.sovereign.store.audit.merkle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs every transparency-dev/merkle JSON vector carried under src/test/resources/rfc9162. */
class MerkleVectorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static Stream<Path> inclusionFiles() throws IOException, URISyntaxException {
        return vectorFiles("rfc9162/inclusion");
    }

    static Stream<Path> consistencyFiles() throws IOException, URISyntaxException {
        return vectorFiles("rfc9162/consistency");
    }

    private static Stream<Path> vectorFiles(String dir) throws IOException, URISyntaxException {
        Path root = Path.of(MerkleVectorTest.class.getClassLoader().getResource(dir).toURI());
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    @Test
    void vectorsArePresent() throws Exception {
        assertThat(inclusionFiles().count()).isGreaterThanOrEqualTo(80);
        assertThat(consistencyFiles().count()).isGreaterThanOrEqualTo(80);
        assertThat(inclusionFiles().filter(MerkleVectorTest::wantsError).count()).isGreaterThan(70);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inclusionFiles")
    void inclusionVector(Path file) throws IOException {
        JsonNode v = JSON.readTree(file.toFile());
        long index = v.get("leafIdx").asLong();
        long size = v.get("treeSize").asLong();
        byte[] root = b64(v.get("root"));
        byte[] leaf = b64(v.get("leafHash"));
        List<byte[]> proof = hashes(v.get("proof"));
        if (v.get("wantErr").asBoolean()) {
            assertThatThrownBy(() -> MerkleVerifier.verifyInclusion(index, size, leaf, proof, root))
                    .isInstanceOf(InvalidProofException.class);
        } else {
            assertThatCode(() -> MerkleVerifier.verifyInclusion(index, size, leaf, proof, root))
                    .doesNotThrowAnyException();
            // Our own tree over the reference leaves must produce exactly the published proof.
            MerkleTree tree = MerkleKnownAnswerTest.referenceTree();
            assertThat(tree.inclusionProof(index, size)).containsExactlyElementsOf(proof);
            assertThat(tree.rootHash(size)).isEqualTo(root);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("consistencyFiles")
    void consistencyVector(Path file) throws IOException {
        JsonNode v = JSON.readTree(file.toFile());
        long size1 = v.get("size1").asLong();
        long size2 = v.get("size2").asLong();
        byte[] root1 = b64(v.get("root1"));
        byte[] root2 = b64(v.get("root2"));
        List<byte[]> proof = hashes(v.get("proof"));
        if (v.get("wantErr").asBoolean()) {
            assertThatThrownBy(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof))
                    .isInstanceOf(InvalidProofException.class);
        } else {
            assertThatCode(() -> MerkleVerifier.verifyConsistency(size1, size2, root1, root2, proof))
                    .doesNotThrowAnyException();
            MerkleTree tree = MerkleKnownAnswerTest.referenceTree();
            assertThat(tree.consistencyProof(size1, size2)).containsExactlyElementsOf(proof);
        }
    }

    private static boolean wantsError(Path file) {
        try {
            return JSON.readTree(file.toFile()).get("wantErr").asBoolean();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] b64(JsonNode node) {
        return Base64.getDecoder().decode(node.asText());
    }

    private static List<byte[]> hashes(JsonNode node) {
        List<byte[]> out = new ArrayList<>();
        if (node != null && !node.isNull()) {
            node.forEach(h -> out.add(b64(h)));
        }
        return out;
    }
}
