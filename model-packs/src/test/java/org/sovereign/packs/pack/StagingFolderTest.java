package org.sovereign.packs.pack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Stale install folders are cleaned up; folders whose owner still holds the lock are not. */
class StagingFolderTest {

    private static final List<String> PREFIXES = List.of(PackInstaller.STAGING_PREFIX);

    @TempDir
    Path packs;

    @Test
    void aFolderWhoseLockIsHeldInThisProcessSurvivesCleanup() throws Exception {
        try (StagingFolder live = StagingFolder.create(packs, PackInstaller.STAGING_PREFIX)) {
            Files.writeString(live.path().resolve("model.onnx"), "half copied");
            assertThat(StagingFolder.cleanStale(packs, PREFIXES)).isEmpty();
            assertThat(live.path().resolve("model.onnx")).exists();
        }
        try (var left = Files.list(packs)) {
            assertThat(left).as("closing removes the folder and its lock file").isEmpty();
        }
    }

    @Test
    void aFolderWhoseLockIsHeldByAnotherProcessSurvivesAndIsRemovedOnceThatProcessDies() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StagingHolderMain.class.getName(), packs.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            assertThat(line).as("the child reports its folder").startsWith("holding ");
            Path held = Path.of(line.substring("holding ".length()));
            assertThat(held).isDirectory();

            assertThat(StagingFolder.cleanStale(packs, PREFIXES)).isEmpty();
            assertThat(held.resolve("part")).exists();

            child.destroyForcibly(); // a crash: the folder and its lock file stay behind, the OS drops the lock
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(held).isDirectory();
            assertThat(StagingFolder.cleanStale(packs, PREFIXES)).containsExactly(held);
            try (var left = Files.list(packs)) {
                assertThat(left).isEmpty();
            }
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aStaleLockFileAndAFolderWithoutOneAreRemovedButOtherFoldersAreNot() throws Exception {
        Path stale = Files.createDirectory(packs.resolve(".installing-123"));
        Files.writeString(stale.resolve("model.onnx"), "left by a crash");
        Files.createFile(packs.resolve(".installing-123.lock")); // nobody holds it
        Path legacy = Files.createDirectory(packs.resolve(".installing-456")); // from before locks existed
        Path installed = Files.createDirectory(packs.resolve("tiny-1.0"));

        assertThat(StagingFolder.cleanStale(packs, PREFIXES)).containsExactlyInAnyOrder(stale, legacy);
        try (var left = Files.list(packs)) {
            assertThat(left).containsExactly(installed);
        }
    }
}
