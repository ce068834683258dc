package org.sovereign.packs.pack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestCodecTest {
    private final ManifestCodec codec = new ManifestCodec();
    private final ObjectMapper json = new ObjectMapper();

    private ObjectNode validTree() throws Exception {
        return (ObjectNode) json.readTree(codec.write(TestPacks.manifest("tiny", "1.0.0", TestPacks.defaultFiles())));
    }

    private PackManifest parse(ObjectNode tree) throws Exception {
        return codec.parse(json.writeValueAsBytes(tree));
    }

    @Test
    void roundTripsEveryField(@TempDir Path dir) throws Exception {
        TestPacks.write(dir, "tiny", "1.0.0");
        PackManifest read = codec.read(dir);
        assertThat(read).isEqualTo(TestPacks.manifest("tiny", "1.0.0", TestPacks.defaultFiles()));
        assertThat(read.kind()).isEqualTo(PackKind.TEXT_GENERATION);
        assertThat(read.installDirName()).isEqualTo("tiny-1.0.0");
        assertThat(new String(codec.write(read))).contains("\"kind\" : \"text-generation\"");
    }

    @Test
    void refusesAnUnknownFormatVersionWithAClearMessage() throws Exception {
        ObjectNode tree = validTree();
        tree.put("formatVersion", 2);
        tree.put("someFutureField", true);
        assertThatThrownBy(() -> parse(tree)).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json has formatVersion 2; this version of the workstation reads only"
                        + " formatVersion 1. Update the workstation to install this pack.");
    }

    @Test
    void refusesAMissingFormatVersion() throws Exception {
        ObjectNode tree = validTree();
        tree.remove("formatVersion");
        assertThatThrownBy(() -> parse(tree)).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json has no integer formatVersion.");
    }

    @Test
    void refusesUnknownFields() throws Exception {
        ObjectNode tree = validTree();
        tree.put("surprise", 1);
        assertThatThrownBy(() -> parse(tree)).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json has an unknown field 'surprise'.");
    }

    @Test
    void refusesTheReservedRerankerKindAndUnknownKinds() throws Exception {
        ObjectNode tree = validTree();
        tree.put("kind", "reranker");
        assertThatThrownBy(() -> parse(tree)).hasMessageContaining("'reranker' is reserved");
        tree.put("kind", "painter");
        assertThatThrownBy(() -> parse(tree)).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json has an invalid value 'painter' at 'kind'.");
    }

    @Test
    void refusesUnsafeAndDuplicatePaths() throws Exception {
        for (String bad : new String[] {"../evil", "/etc/passwd", "a\\b", "a//b", "./a", "C:/x", "a/../b"}) {
            ObjectNode tree = validTree();
            ((ObjectNode) tree.withArray("files").get(0)).put("path", bad);
            assertThatThrownBy(() -> parse(tree)).as(bad).isInstanceOf(ManifestException.class)
                    .hasMessageStartingWith("manifest.json lists ");
        }
        ObjectNode dup = validTree();
        dup.withArray("files").add(dup.withArray("files").get(1).deepCopy());
        assertThatThrownBy(() -> parse(dup)).hasMessage("manifest.json lists 'tokenizer.json' twice.");
    }

    @Test
    void refusesReferencesToFilesThatAreNotListed() throws Exception {
        ObjectNode tree = validTree();
        tree.put("tokenizer", "missing.json");
        assertThatThrownBy(() -> parse(tree)).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json names the tokenizer 'missing.json' but does not list it under files.");
    }

    @Test
    void refusesReservedPathsInTheFileList() throws Exception {
        ObjectNode tree = validTree();
        ((ObjectNode) tree.withArray("files").get(3)).put("path", "model.sig");
        assertThatThrownBy(() -> parse(tree)).hasMessage("manifest.json must not list the reserved path 'model.sig'.");
    }

    @Test
    void refusesInvalidJson() {
        assertThatThrownBy(() -> codec.parse("{not json".getBytes())).isInstanceOf(ManifestException.class)
                .hasMessage("manifest.json is not valid JSON.");
    }
}
