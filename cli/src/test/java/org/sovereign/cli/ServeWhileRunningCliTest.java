package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 (ADR-0012): while {@code sovereign serve} runs in one process and holds the vault, revoking a client or
 * withdrawing a consent from a second process names the running server and what to type in its terminal; typed there,
 * it refuses the client's very next call. Two real processes, the server on 127.0.0.1.
 */
class ServeWhileRunningCliTest {

    @TempDir
    Path tmp;

    private static Process start(String main, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8",
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        return builder.start();
    }

    /** The command line in another process: exit code and what it printed. */
    private static String[] cliInAnotherProcess(String... args) throws Exception {
        Process p = start(ChildCli.class.getName(), args);
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("a guard against a hung child").isTrue();
        return new String[] {Integer.toString(p.exitValue()), printed.strip()};
    }

    /** The lines a process prints, read as they come. */
    private static BlockingQueue<String> lines(Process p) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "serve-child-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String awaitLine(BlockingQueue<String> lines, Predicate<String> wanted) throws InterruptedException {
        List<String> seen = new ArrayList<>();
        while (true) {
            String line = lines.poll(120, TimeUnit.SECONDS);
            assertThat(line).as("the server printed, so far: " + seen).isNotNull();
            if (wanted.test(line)) {
                return line;
            }
            seen.add(line);
        }
    }

    private static int models(HttpClient http, String baseUrl, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/models")).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + key).GET().build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void aClientRevokedAndAConsentWithdrawnAtTheRunningServersConsoleAreRefusedOnTheNextCall() throws Exception {
        Path home = tmp.resolve("home");
        Path pass = Files.writeString(tmp.resolve("pass"), "serve and revoke passphrase\n");
        CliRun cli = new CliRun(home);
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        String editor = addClient(cli, pass, "editor");
        String notes = addClient(cli, pass, "notes");
        assertThat(cli.run("consent", "list", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        String notesConsent = cli.out().lines().filter(l -> l.contains("local API: notes")).findFirst().orElseThrow()
                .strip().split("\\s+")[0];

        Process server = start(ServeConsoleChild.class.getName(), "serve", "--port", "0", "--passphrase-file",
                pass.toString(), "--data-dir", home.toString());
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        try (Writer console = new OutputStreamWriter(server.getOutputStream(), StandardCharsets.UTF_8)) {
            BlockingQueue<String> printed = lines(server);
            String listening = awaitLine(printed, l -> l.startsWith("The local API listens on "));
            String baseUrl = listening.substring("The local API listens on ".length()).split(" ")[0];
            assertThat(baseUrl).startsWith("http://127.0.0.1:").endsWith("/v1");
            awaitLine(printed, l -> l.startsWith("While it runs, type 'revoke NAME'"));
            assertThat(models(http, baseUrl, editor)).isEqualTo(200);
            assertThat(models(http, baseUrl, notes)).isEqualTo(200);

            // a second terminal is told where to do it, in one line, and nothing is changed there
            String[] revoke = cliInAnotherProcess("serve", "clients", "revoke", "editor", "--passphrase-file",
                    pass.toString(), "--data-dir", home.toString());
            assertThat(revoke[0]).as(revoke[1]).isEqualTo("1");
            assertThat(revoke[1]).startsWith("The vault is in use by 'sovereign serve' (process " + server.pid() + ")")
                    .contains("type 'revoke editor' in its terminal").doesNotContain("Internal error");
            assertThat(revoke[1].lines()).hasSize(1);
            assertThat(models(http, baseUrl, editor)).isEqualTo(200);

            console.write("revoke editor\n");
            console.flush();
            assertThat(awaitLine(printed, l -> l.startsWith("Revoked ") || l.contains("No client")))
                    .startsWith("Revoked 'editor'");
            assertThat(models(http, baseUrl, editor)).as("the very next call").isEqualTo(401);
            assertThat(models(http, baseUrl, notes)).isEqualTo(200);

            String[] withdraw = cliInAnotherProcess("consent", "withdraw", notesConsent, "--passphrase-file",
                    pass.toString(), "--data-dir", home.toString());
            assertThat(withdraw[0]).as(withdraw[1]).isEqualTo("1");
            assertThat(withdraw[1]).contains("type 'withdraw " + notesConsent + "' in its terminal");

            console.write("withdraw " + notesConsent + "\n");
            console.flush();
            assertThat(awaitLine(printed, l -> l.startsWith("Consent ") || l.startsWith("There is no")))
                    .startsWith("Consent " + notesConsent + " withdrawn");
            assertThat(models(http, baseUrl, notes)).as("the very next call").isEqualTo(403);

            console.write("stop\n");
            console.flush();
            awaitLine(printed, l -> l.equals("The local API stopped."));
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isZero();
        } finally {
            server.destroyForcibly();
            server.waitFor(60, TimeUnit.SECONDS);
        }

        // with the server gone, no marker is left and the vault holds what the console did, audited
        assertThat(home.resolve(ServeConsole.MARKER)).doesNotExist();
        assertThat(cli.run("serve", "clients", "list", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("editor\trevoked").contains("notes\tconsent withdrawn");
        assertThat(cli.run("audit", "verify", "--unlock", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
    }

    private static String addClient(CliRun cli, Path pass, String name) {
        assertThat(cli.run("serve", "clients", "add", name, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        return cli.out().lines().skip(1).findFirst().orElseThrow().strip();
    }
}
