package org.sovereign.packs.tokenizer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;


/** Limits on tokenizer files from untrusted packs, checked before the native tokenizer reads them; byte-fallback ids. */
class TokenizerFileLimitsTest {
    private static final Path PHI3 = TinyLlamaFixture.DIR.resolveSibling("hf-repos").resolve("phi3").resolve("tokenizer.json");

    @TempDir
    Path tmp;

    @Test
    void aNormaliserOverTheLimitIsRefusedInPlainWordsBeforeTheNativeTokenizerBuildsIt() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode tokenizer = (ObjectNode) json.readTree(PHI3.toFile());
        ObjectNode normalizer = tokenizer.putObject("normalizer");
        normalizer.put("type", "Replace");
        normalizer.putObject("pattern").put("String", "a");
        normalizer.put("content", "b".repeat(2_000_000));
        Path file = tmp.resolve("tokenizer.json");
        json.writeValue(file.toFile(), tokenizer);

        assertThatThrownBy(() -> TextTokenizer.load(file)).isInstanceOf(TokenizerLoadException.class)
                .hasMessage("The tokenizer's 'normalizer' section is 2.0 MB; at most 1.0 MB is accepted.");
    }

    @Test
    void aFileThatIsNoJsonObjectIsRefused() throws Exception {
        Path file = Files.writeString(tmp.resolve("tokenizer.json"), "[1, 2, 3]");
        assertThatThrownBy(() -> TextTokenizer.load(file)).isInstanceOf(TokenizerLoadException.class)
                .hasMessageContaining("is not a JSON object");
    }

    @Test
    void byteFallbackTokensAreKnownOnlyForModelsThatHaveByteFallback() throws Exception {
        long vt;
        long word;
        try (TextTokenizer phi3 = TextTokenizer.load(PHI3)) {
            var vocab = new ObjectMapper().readTree(PHI3.toFile()).path("model").path("vocab");
            vt = vocab.path("<0x0B>").asLong();
            word = phi3.encode("the", false)[0];
            assertThat(phi3.isByteFallback(vt)).isTrue();
            assertThat(phi3.isByteFallback(word)).isFalse();
            assertThat(phi3.isByteFallback(-1)).isFalse();
        }
        try (TextTokenizer llama = TextTokenizer.load(TinyLlamaFixture.DIR)) {
            for (long id = 0; id < 400; id++) {
                assertThat(llama.isByteFallback(id)).as("id %d", id).isFalse();
            }
        }
    }
}
