package org.sovereign.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A number out of range on any option is a one-line user error (exit 1), never an internal error (exit 2). */
class NumericOptionsTest {

    @TempDir
    static Path tmp;
    private static Path home;
    private static Path pass;
    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    static void vault() throws Exception {
        home = tmp.resolve("home");
        pass = Files.writeString(tmp.resolve("pass"), "numeric options passphrase\n");
        StringWriter sink = new StringWriter();
        assertThat(cli(new PrintWriter(sink), new PrintWriter(sink)).execute("vault", "init", "--passphrase-file",
                pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1", "--no-default-pack",
                "--data-dir", home.toString())).as(sink.toString()).isZero();
    }

    private static SovereignCli cli(PrintWriter out, PrintWriter err) {
        return new SovereignCli(new DesktopLauncher() {
            @Override
            public boolean displayAvailable() {
                return false;
            }

            @Override
            public void launch(Workstation context) {
            }
        }).withStreams(out, err);
    }

    private int run(String command) {
        out = new StringWriter();
        err = new StringWriter();
        String[] args = (command + " --data-dir " + home).split(" ");
        for (int i = 0; i < args.length; i++) {
            args[i] = args[i].replace("PASS", pass.toString());
        }
        return cli(new PrintWriter(out), new PrintWriter(err)).execute(args);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "search bees --limit -1 --passphrase-file PASS | --limit",
            "search bees --limit 0 --passphrase-file PASS | --limit",
            "ask why --passages 0 --passphrase-file PASS | --passages",
            "ask why --max-tokens -3 --passphrase-file PASS | --max-tokens",
            "audit show --limit -1 | --limit",
            "consent grant --purpose p --operations index --source /tmp --valid-days 0 --passphrase-file PASS | --valid-days",
            "consent grant --purpose p --operations index --source /tmp --valid-days -2 --passphrase-file PASS | --valid-days",
            "generate --pack none --prompt hi --max-tokens 0 | --max-tokens",
            "generate --pack none --prompt hi --temperature -1 | --temperature",
            "audit proof -1 --out /tmp/never-written | SEQ",
    })
    void aNumberOutOfRangeIsAPlainUserError(String command, String option) {
        int code = run(command);

        assertThat(code).as(out + "" + err).isEqualTo(SovereignCli.USER_ERROR);
        String first = err.toString().lines().findFirst().orElse("");
        assertThat(first).contains(option).doesNotContain("Internal error", "Exception");
    }

    @Test
    void vaultInitRefusesNonPositiveArgon2Settings() {
        Path other = tmp.resolve("other-home");
        out = new StringWriter();
        err = new StringWriter();
        int code = cli(new PrintWriter(out), new PrintWriter(err)).execute("vault", "init", "--passphrase-file",
                pass.toString(), "--argon2-memory-mib", "-8", "--argon2-iterations", "0", "--no-default-pack",
                "--data-dir", other.toString());
        assertThat(code).as(err.toString()).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(err.toString()).doesNotContain("Internal error");
        assertThat(other.resolve("vault.db")).doesNotExist();
    }
}
