package org.sovereign.packs.runtime;

import org.junit.jupiter.api.Test;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OrtEnvironmentsTest {

    @Test
    void returnsTheSameProcessWideEnvironment() {
        assertThat(OrtEnvironments.get()).isSameAs(OrtEnvironments.get());
    }

    /**
     * ONNX Runtime 1.29 overflowed the main thread's stack when created in a JVM with a long command line
     * (the process died with SIGSEGV). A child JVM with a long command line must now load it and generate.
     */
    @Test
    void aJvmWithALongCommandLineLoadsTheRuntimeAndGenerates() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java,
                "-cp", System.getProperty("java.class.path"),
                "-Dsovereign.test.padding=" + "x".repeat(8000),
                "-Dai.djl.offline=true",
                LongCommandLineMain.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(output, StandardCharsets.UTF_8);
        long[] expected = Arrays.copyOf(TinyLlamaFixture.longs(
                TinyLlamaFixture.greedyCase("plain").get("generated_ids")), 5);

        assertThat(process.exitValue()).as(text).isZero();
        assertThat(text).contains("generated " + Arrays.toString(expected));
    }
}
