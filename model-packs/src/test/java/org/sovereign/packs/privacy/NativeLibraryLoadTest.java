package org.sovereign.packs.privacy;

import ai.djl.util.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native libraries are loaded only from copies unpacked this run out of our jars, never from a lasting folder.
 * DJL used to load {@code libtokenizers.so} unchecked from its cache folder, which the command line kept in
 * {@code <data>/cache/djl}: a library planted there ran inside the workstation.
 */
class NativeLibraryLoadTest {

    @TempDir
    Path tmp;

    /**
     * A file that is not the library is planted everywhere DJL would have looked (the cache folder the command line
     * used to set, DJL's default folder in HOME, its library-path override); the child still loads the tokenizer,
     * and the libraries it mapped are byte for byte the copies inside the jars.
     */
    @Test
    void plantedLibrariesAreNotLoadedAndTheLoadedOnesAreTheJarCopies() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/map_files")), "needs Linux's /proc/self/map_files");
        Platform platform = Platform.detectPlatform("tokenizers");
        String folder = platform.getVersion() + "-" + platform.getFlavor() + "-" + platform.getClassifier();
        String lib = System.mapLibraryName("tokenizers");
        byte[] garbage = "not a library, planted by the test\n".getBytes(StandardCharsets.UTF_8);
        Path dataCache = tmp.resolve("data/cache/djl");
        Path home = tmp.resolve("home");
        List<Path> planted = new ArrayList<>();
        for (Path cache : List.of(dataCache, home.resolve(".djl.ai"))) {
            Path file = cache.resolve("tokenizers").resolve(folder).resolve(lib);
            Files.createDirectories(file.getParent());
            Files.write(file, garbage);
            planted.add(file);
        }
        Path override = Files.write(Files.createDirectories(tmp.resolve("override")).resolve(lib), garbage);
        planted.add(override);

        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + javaTmp,
                "-DENGINE_CACHE_DIR=" + dataCache,
                "-DRUST_LIBRARY_PATH=" + override,
                NativeLibraryChildMain.class.getName(), TinyLlamaFixture.DIR.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("ENGINE_CACHE_DIR");
        pb.environment().remove("RUST_LIBRARY_PATH");
        pb.environment().remove("DJL_CACHE_DIR");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("ids [");
        Map<String, Set<String>> jarCopies = Map.of(
                "libtokenizers", jarDigests("native/lib/tokenizers.properties", lib),
                "libonnxruntime.so", jarDigests("ai/onnxruntime/native/", System.mapLibraryName("onnxruntime")));
        for (Map.Entry<String, Set<String>> e : jarCopies.entrySet()) {
            String line = output.lines().filter(l -> l.startsWith("mapped " + e.getKey() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no line for " + e.getKey() + " in\n" + output));
            String[] parts = line.split(" ", 4);
            assertThat(parts[2]).as(e.getKey() + " is the copy in the jar: " + line).isIn(e.getValue());
            for (Path p : planted) {
                assertThat(parts[3]).as(e.getKey() + " path").doesNotStartWith(p.getParent().toString());
            }
        }
        for (Path p : planted) {
            assertThat(Files.readAllBytes(p)).as("planted file left as it was").isEqualTo(garbage);
        }
    }

    /** SHA-256 of every entry named {@code fileName} in the jar holding {@code resource}. */
    private static Set<String> jarDigests(String resource, String fileName) throws IOException, NoSuchAlgorithmException {
        URL url = NativeLibraryLoadTest.class.getClassLoader().getResource(resource);
        assertThat(url).as(resource).isNotNull();
        Set<String> digests = new TreeSet<>();
        assertThat(url.getProtocol()).as(resource + " comes from a jar").isEqualTo("jar");
        String spec = url.getPath();
        Path jarPath = Path.of(URI.create(spec.substring(0, spec.indexOf("!/"))));
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().endsWith("/" + fileName)) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                    }
                }
            }
        }
        assertThat(digests).as("copies of " + fileName + " in the jar").isNotEmpty();
        return digests;
    }
}
