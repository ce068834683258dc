package org.sovereign.packs.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextTokenizerTest {

    @Test
    void encodesExactlyAsThePythonTokenizerDid() {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            for (JsonNode c : TinyLlamaFixture.reference().get("encodings")) {
                long[] ids = tokenizer.encode(c.get("text").asText(), c.get("add_special_tokens").asBoolean());
                assertThat(ids).as(c.get("text").asText()).containsExactly(TinyLlamaFixture.longs(c.get("ids")));
            }
        }
    }

    @Test
    void specialTokensAreAddedOnlyWhenAsked() {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR.resolve("tokenizer.json"))) {
            long[] with = tokenizer.encode("Good tools are quiet.", true);
            long[] without = tokenizer.encode("Good tools are quiet.", false);
            assertThat(with[0]).isEqualTo(1L);
            assertThat(with).hasSize(without.length + 1);
        }
    }

    @Test
    void decodesBackToTheOriginalText() {
        String text = "Numbers like 2026 and caf\u00e9 \u2603 are bytes too.";
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            assertThat(tokenizer.decode(tokenizer.encode(text, true), true)).isEqualTo(text);
            assertThat(tokenizer.decode(tokenizer.encode(text, true), false)).isEqualTo("<s>" + text);
        }
    }

    @Test
    void encodesForAnEncoderModelWithMatchingMaskAndTypeIds() {
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            EncodedText e = tokenizer.encodeForModel("The river ran past the old mill.", true);
            assertThat(e.attentionMask()).hasSize(e.length()).containsOnly(1L);
            assertThat(e.typeIds()).hasSize(e.length()).containsOnly(0L);
        }
    }

    @Test
    void longTextIsNotTruncated() {
        String text = "The tokenizer turns text into numbers. ".repeat(200);
        try (TextTokenizer tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            long[] ids = tokenizer.encode(text, false);
            assertThat(ids.length).isGreaterThan(1000);
            assertThat(tokenizer.decode(ids, true)).isEqualTo(text);
        }
    }

    @Test
    void aMissingFileIsATypedError(@TempDir Path dir) {
        assertThatThrownBy(() -> TextTokenizer.load(dir))
                .isInstanceOf(TokenizerLoadException.class)
                .hasMessageContaining("No tokenizer file");
    }

    @Test
    void aMalformedFileIsATypedError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Files.writeString(file, "{\"version\": \"1.0\", \"model\": ");
        assertThatThrownBy(() -> TextTokenizer.load(file))
                .isInstanceOf(TokenizerLoadException.class)
                .hasMessageContaining("Could not load the tokenizer");
    }
}
