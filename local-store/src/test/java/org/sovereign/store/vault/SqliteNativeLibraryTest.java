package org.sovereign.store.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.JDBC;

import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * sqlite-jdbc used to unpack its native library straight into {@code java.io.tmpdir} (shared {@code /tmp}) and load
 * it from there. Now it goes into a new owner-only folder per run, which is deleted once the library is loaded.
 */
class SqliteNativeLibraryTest {

    @TempDir
    Path tmp;

    @Test
    void theLibraryIsUnpackedIntoAPrivateFolderAndIsTheJarCopy() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/map_files")), "needs Linux's /proc/self/map_files");
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Djava.io.tmpdir=" + javaTmp,
                SqliteNativeChildMain.class.getName(), tmp.resolve("test.db").toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();

        String mapped = output.lines().filter(l -> l.startsWith("mapped ")).findFirst()
                .orElseThrow(() -> new AssertionError("libsqlitejdbc not mapped:\n" + output));
        String[] parts = mapped.split(" ", 3);
        Path loadedFrom = Path.of(parts[2]).getParent();
        assertThat(loadedFrom.getFileName().toString()).as("loaded from a private folder: " + parts[2])
                .startsWith(SqliteNative.PREFIX);
        assertThat(loadedFrom.getParent()).isEqualTo(javaTmp);
        assertThat(output).contains("tmpdir " + loadedFrom)
                .as("the folder's mode before loading").contains("mode rwx------");
        assertThat(parts[1]).as("the copy inside sqlite-jdbc's jar").isIn(jarDigests());
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("nothing unpacked into the shared temp folder itself, private folder gone after loading")
                    .noneMatch(n -> n.startsWith("sqlite-") || n.startsWith(SqliteNative.PREFIX));
        }
    }

    private static List<String> jarDigests() throws Exception {
        URL url = JDBC.class.getResource("JDBC.class");
        String spec = url.getPath();
        Path jarPath = Path.of(URI.create(spec.substring(0, spec.indexOf("!/"))));
        List<String> digests = new ArrayList<>();
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (e.getName().contains("/native/") && e.getName().endsWith(System.mapLibraryName("sqlitejdbc"))) {
                    try (InputStream in = jar.getInputStream(e)) {
                        digests.add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes())));
                    }
                }
            }
        }
        assertThat(digests).isNotEmpty();
        return digests;
    }
}
