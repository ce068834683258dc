package org.sovereign.packs.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.sovereign.packs.embedding.Vectors.cosine;

/**
 * The quantized all-MiniLM-L6-v2 from the langchain4j test jar against vectors Python onnxruntime + tokenizers
 * computed from the same files (src/test/fixtures/make_minilm_reference.py).
 */
class OnnxEmbeddingModelTest {

    @TempDir
    static Path dir;
    private static Path modelFile;
    private static Path tokenizerFile;
    private static OnnxEmbeddingModel model;
    private static JsonNode reference;

    @BeforeAll
    static void open() throws IOException {
        modelFile = copyResource("all-minilm-l6-v2-q.onnx");
        tokenizerFile = copyResource("all-minilm-l6-v2-q-tokenizer.json");
        model = OnnxEmbeddingModel.open(modelFile, tokenizerFile, EmbeddingOptions.defaults());
        reference = new ObjectMapper().readTree(
                Path.of("src", "test", "fixtures", "minilm-reference.json").toFile());
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static Path copyResource(String name) throws IOException {
        Path target = dir.resolve(name);
        try (InputStream in = OnnxEmbeddingModelTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            Files.copy(in, target);
        }
        return target;
    }

    private static List<String> texts() {
        return TinyLlamaFixture.list(reference.get("cases")).stream().map(c -> c.get("text").asText()).toList();
    }

    private static float[] expected(int index) {
        return Vectors.of(reference.get("cases").get(index).get("embedding"));
    }

    @Test
    void tokenizesLikePythonIgnoringThePaddingAndTruncationInTheFile() {
        try (TextTokenizer tokenizer = TextTokenizer.load(tokenizerFile)) {
            for (JsonNode c : reference.get("cases")) {
                long[] ids = OnnxEmbeddingModel.truncate(tokenizer.encode(c.get("text").asText(), true),
                        reference.get("max_tokens").asInt());
                assertThat(ids).containsExactly(TinyLlamaFixture.longs(c.get("ids")));
            }
        }
    }

    @Test
    void embeddingsMatchThePythonReference() {
        List<float[]> vectors = model.embed(texts());

        assertThat(model.dimension()).isEqualTo(384);
        assertThat(vectors).hasSize(texts().size());
        for (int i = 0; i < vectors.size(); i++) {
            assertThat(cosine(vectors.get(i), expected(i))).as(texts().get(i)).isGreaterThanOrEqualTo(0.9999);
            assertThat(cosine(vectors.get(i), vectors.get(i))).isCloseTo(1.0, within(1e-6));
            double norm = 0;
            for (float x : vectors.get(i)) {
                norm += x * x;
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, within(1e-5));
        }
    }

    @Test
    void batchedVectorsStillBelongToTheirOwnTextsInAnyInputOrder() {
        List<String> reversed = new ArrayList<>(texts());
        Collections.reverse(reversed);
        int n = reversed.size();

        List<float[]> vectors;
        try (OnnxEmbeddingModel batched = OnnxEmbeddingModel.open(modelFile, tokenizerFile,
                EmbeddingOptions.defaults().withMaxBatchSize(3))) {
            vectors = batched.embed(reversed);
        }

        // Quantized activations depend on the batch, so only require each vector to be nearest its own reference.
        for (int i = 0; i < n; i++) {
            int own = n - 1 - i;
            double toOwn = cosine(vectors.get(i), expected(own));
            assertThat(toOwn).as(reversed.get(i)).isGreaterThan(0.95);
            for (int other = 0; other < n; other++) {
                if (other != own) {
                    assertThat(cosine(vectors.get(i), expected(other))).isLessThan(toOwn);
                }
            }
        }
    }

    @Test
    void similarSentencesAreCloserThanUnrelatedOnes() {
        float[] cat = model.embed("A cat sat on the mat.");
        float[] kitten = model.embed("A kitten was sitting on the rug.");
        float[] revenue = model.embed("Quarterly revenue grew by 12%.");

        assertThat(cosine(cat, kitten)).isGreaterThan(cosine(cat, revenue) + 0.2);
    }

    @Test
    void aDecoderModelIsRefusedAsAnEmbeddingModel() {
        assertThatThrownBy(() -> OnnxEmbeddingModel.open(TinyLlamaFixture.DIR.resolve("model.onnx"),
                TinyLlamaFixture.DIR.resolve("tokenizer.json"), EmbeddingOptions.defaults()))
                .isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("not a BERT-style embedding model")
                .hasMessageContaining("missing output 'last_hidden_state'");
    }

    @Test
    void aTruncatedModelFileIsATypedError() throws IOException {
        byte[] bytes = Files.readAllBytes(modelFile);
        Path broken = dir.resolve("broken.onnx");
        Files.write(broken, Arrays.copyOf(bytes, 4096));

        assertThatThrownBy(() -> OnnxEmbeddingModel.open(broken, tokenizerFile, EmbeddingOptions.defaults()))
                .isExactlyInstanceOf(ModelLoadException.class)
                .hasMessageContaining("could not load the model file");
    }

    @Test
    void truncationKeepsTheClosingToken() {
        assertThat(OnnxEmbeddingModel.truncate(new long[]{101, 1, 2, 3, 4, 102}, 4)).containsExactly(101, 1, 2, 102);
        assertThat(OnnxEmbeddingModel.truncate(new long[]{101, 1, 102}, 4)).containsExactly(101, 1, 102);
    }
}
