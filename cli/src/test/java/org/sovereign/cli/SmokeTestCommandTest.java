package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign --smoke-test}: the check an installed copy runs, on a throwaway vault, leaving the person's data alone. */
class SmokeTestCommandTest {

    @TempDir
    Path home;

    @Test
    void runsEveryStepOnAThrowawayVaultAndLeavesTheDataDirectoryAndTempFolderAlone() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        List<Path> before = smokeFolders(tmp);
        CliRun cli = new CliRun(home);

        assertThat(cli.run("--smoke-test")).as(cli.err()).isZero();

        assertThat(cli.out()).contains("ok  Created and unlocked a vault", "ok  Installed and verified the bundled pack",
                "ok  Embedded and indexed one sentence", "ok  Found it again by meaning",
                "ok  Verified the audit log", "No display here, so the main window was not opened.",
                "The smoke test passed.");
        assertThat(home.resolve("vault.db")).as("the person's data directory got no vault").doesNotExist();
        assertThat(smokeFolders(tmp)).as("the throwaway folder is deleted").isEqualTo(before);
    }

    @Test
    void aWordThatIsNeitherACommandNorAPackIsRefusedPlainly() {
        CliRun cli = new CliRun(home);
        assertThat(cli.run("serch")).isEqualTo(1);
        assertThat(cli.err()).contains("'serch' is not a command").doesNotContain("Exception");
    }

    private static List<Path> smokeFolders(Path tmp) throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("sovereign-smoke-")).sorted().toList();
        }
    }
}
