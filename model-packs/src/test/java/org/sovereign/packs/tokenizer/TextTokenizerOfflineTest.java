package org.sovereign.packs.tokenizer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TextTokenizerOfflineTest {

    /**
     * A fresh JVM with no DJL settings: loading switches DJL to offline mode and the native library comes out of
     * DJL's jar (there is no network here, so a download would fail), unpacked into a private folder of this run,
     * not into the cache folder the JVM was given.
     */
    @Test
    void loadsTheJarsNativeLibraryOfflineAndNeverIntoTheGivenCache(@TempDir Path cache) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"),
                "-DENGINE_CACHE_DIR=" + cache, TokenizerChildMain.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        long[] expected = TinyLlamaFixture.longs(TinyLlamaFixture.reference().get("encodings").get(0).get("ids"));

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("offline before load: null")
                .contains("ids " + Arrays.toString(expected))
                .contains("offline after load: true");
        try (var files = Files.walk(cache)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("tokenizers.")).toList())
                    .as("nothing unpacked into a lasting cache folder (see NativeLibraryLoadTest)").isEmpty();
        }
    }
}
