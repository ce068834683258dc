package org.sovereign.packs.embedding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.packs.embedding.Vectors.cosine;

/**
 * A float32 tiny random BERT (src/test/fixtures/make_tiny_bert.py): padded, length-grouped batches must give the
 * vectors Python computed one text at a time without padding.
 */
class BatchingTest {

    private static final Path DIR = Path.of("src", "test", "fixtures", "tiny-bert");

    @Test
    void paddedBatchesGiveTheSameVectorsAsSingleTexts() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(DIR.resolve("reference.json").toFile());
        List<JsonNode> cases = TinyLlamaFixture.list(reference.get("cases"));
        List<String> texts = cases.stream().map(c -> c.get("text").asText()).toList();

        for (int batchSize : new int[]{1, 4, 16}) {
            List<float[]> vectors;
            try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(DIR.resolve("model.onnx"),
                    TinyLlamaFixture.DIR.resolve("tokenizer.json"),
                    EmbeddingOptions.defaults().withMaxBatchSize(batchSize).withMaxTokens(128))) {
                vectors = model.embed(texts);
            }
            for (int i = 0; i < texts.size(); i++) {
                assertThat(cosine(vectors.get(i), Vectors.of(cases.get(i).get("embedding"))))
                        .as("batch size %d, text %s", batchSize, texts.get(i))
                        .isGreaterThanOrEqualTo(0.99999);
            }
        }
    }

    @Test
    void batchesGroupTextsOfSimilarLength() {
        List<int[]> batches = LengthBatches.plan(new int[]{50, 3, 48, 4, 5, 49}, 3);

        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).containsExactly(1, 3, 4);
        assertThat(batches.get(1)).containsExactly(2, 5, 0);
    }

    @Test
    void equalLengthsKeepInputOrderAndTheLastBatchMayBeSmaller() {
        List<int[]> batches = LengthBatches.plan(new int[]{7, 7, 7, 7, 7}, 2);

        assertThat(batches).hasSize(3);
        assertThat(batches.get(0)).containsExactly(0, 1);
        assertThat(batches.get(2)).containsExactly(4);
    }
}
