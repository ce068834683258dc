package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** A data directory other users can write to is refused in one line; doctor still runs and names the problem. */
class SharedDataDirectoryCliTest {

    @Test
    void aDataDirectoryOthersCanWriteToIsRefusedAndDoctorSaysHowToFixIt(@TempDir Path tmp) throws Exception {
        Path shared = Files.createDirectories(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        CliRun cli = new CliRun(shared);
        Path pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");

        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("Other users of this computer can write to the data directory")
                .doesNotContain("Exception").doesNotContain("\n");
        assertThat(shared.resolve("vault.db")).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shared))).isEqualTo("rwxrwxrwx");

        cli.run("doctor");
        assertThat(cli.out()).contains("others can write to it", "chmod 700 " + shared);
    }
}
