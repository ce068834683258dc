package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15: two processes on one data directory at once. While one process (here a stand-in for the window) has the
 * vault open, the command line in a second process gets one plain "in use" line and exit 1 for every command that
 * needs the vault, never an internal error, and nothing is written; once the first process closes, the vault is whole.
 */
class VaultInUseCliTest {

    @TempDir
    Path tmp;

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Process start(String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                "-Dfile.encoding=UTF-8", "--enable-native-access=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "-cp", System.getProperty("java.class.path"),
                main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    /** Runs the command line in a child JVM; returns its exit code and what it printed. */
    private static String[] cliInAnotherProcess(String... args) throws Exception {
        Process p = start(ChildCli.class.getName(), args);
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a guard against a hung child").isTrue();
        return new String[] {Integer.toString(p.exitValue()), printed};
    }

    @Test
    void theSecondProcessIsToldTheVaultIsInUseAndNothingIsWritten() throws Exception {
        Path home = tmp.resolve("home");
        Path pass = Files.writeString(tmp.resolve("pass"), "two processes passphrase\n");
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("hives.md"), "Check the hive entrance after a cold night.");
        CliRun cli = new CliRun(home);
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).as(cli.err()).isZero();
        String consent = cli.out().strip();

        Process holder = start(VaultHolderChild.class.getName(), home.toString(), pass.toString());
        try {
            String first = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertThat(first).as("the first process opened the vault").startsWith("open ");

            for (String[] args : List.of(
                    new String[] {"index", notes.toString(), "--consent", consent},
                    new String[] {"consent", "withdraw", consent},
                    new String[] {"search", "hive"},
                    new String[] {"vault", "unlock-check"})) {
                List<String> full = new ArrayList<>(List.of(args));
                full.addAll(List.of("--passphrase-file", pass.toString(), "--data-dir", home.toString()));
                String[] result = cliInAnotherProcess(full.toArray(String[]::new));
                assertThat(result[0]).as(String.join(" ", args) + " printed: " + result[1]).isEqualTo("1");
                assertThat(result[1].strip()).as(String.join(" ", args))
                        .contains("is in use by another Sovereign process").doesNotContain("Internal error");
                assertThat(result[1].strip().lines()).hasSize(1);
            }
            String[] verify = cliInAnotherProcess("audit", "verify", "--data-dir", home.toString());
            assertThat(verify[1]).doesNotContain("Internal error", "does NOT verify");

            try (Writer w = new OutputStreamWriter(holder.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("close\n");
            }
            assertThat(holder.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(holder.exitValue()).isZero();

            // nothing the refused commands tried was done, and the vault is whole
            assertThat(cli.run("audit", "verify", "--unlock", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
            assertThat(cli.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
            assertThat(cli.out()).contains(consent + "  given");
            assertThat(cli.run("search", "hive", "--passphrase-file", pass.toString())).isZero();
            assertThat(cli.out().strip()).as("the refused index stored nothing").startsWith("Your library is empty");
            for (String type : List.of("consent.withdrawn", "document.ingested")) {
                assertThat(cli.run("audit", "show", "--type", type)).isZero();
                assertThat(cli.out().strip()).isEqualTo("No entries of type " + type + ".");
            }
        } finally {
            holder.destroyForcibly();
            holder.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
