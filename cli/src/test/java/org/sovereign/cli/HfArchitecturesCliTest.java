package org.sovereign.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * Issue 17's acceptance through the CLI: a folder laid out as onnx-community publishes it, for each of the six
 * architectures (random weights, real configs, tokenizers and chat templates: model-packs' hf-repos fixtures), imports
 * in one command with the variant chosen for this machine, installs, and generates the reference greedy text.
 */
class HfArchitecturesCliTest {
    private static final Pattern VARIANT = Pattern.compile("^Variant (\\S+) \\(");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen2", "qwen3", "phi3", "gemma3", "smollm2"})
    void importsInOneCommandAndGeneratesTheReferenceText(String architecture) throws Exception {
        Path repo = TINY_LLAMA.resolveSibling("hf-repos").resolve(architecture);
        CliRun cli = new CliRun(tmp.resolve("home"));
        Path pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
        Path mpack = tmp.resolve(architecture + ".mpack");

        assertThat(cli.run("pack", "import", repo.toString(), "--out", mpack.toString())).as(cli.err()).isZero();
        Matcher variant = VARIANT.matcher(cli.out());
        assertThat(variant.find()).as(cli.out()).isTrue();
        JsonNode reference = new ObjectMapper().readTree(repo.resolve("reference.json").toFile());
        JsonNode expected = null;
        for (JsonNode run : reference.path("greedy")) {
            if (run.path("variant").asText().equals(variant.group(1))) {
                expected = run;
            }
        }
        assertThat(expected).as("a reference run for the default variant %s", variant.group(1)).isNotNull();

        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.run("pack", "list")).isZero();
        Matcher name = Pattern.compile("^(" + Pattern.quote(architecture) + "[a-z0-9-]*)\\s+1\\.0", Pattern.MULTILINE).matcher(cli.out());
        assertThat(name.find()).as(cli.out()).isTrue();

        long[] ids = new long[expected.path("generated_ids").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = expected.path("generated_ids").get(i).asLong();
        }
        String text;
        try (TextTokenizer tokenizer = TextTokenizer.load(repo)) {
            text = tokenizer.decode(ids, true);
        }
        assertThat(cli.run("generate", "--pack", name.group(1), "--prompt", reference.path("prompt").asText(), "--raw",
                "--temperature", "0", "--max-tokens", String.valueOf(ids.length))).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo(text + System.lineSeparator());
    }
}
