package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.testing.Waits;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** {@code sovereign serve} and {@code sovereign serve clients}, on a real vault and the tiny Llama fixture. */
class ServeCommandTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", "tiny-llama",
                "--licence", "Apache-2.0")).as(cli.err()).isZero();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();
    }

    private String addClient(String name) {
        assertThat(cli.run("serve", "clients", "add", name, "--operations", "generate", "--pack", "tiny-llama",
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Registered '" + name + "'. Its key, shown only this once:");
        String key = cli.out().lines().skip(1).findFirst().orElseThrow().strip();
        assertThat(key).startsWith("sov-").hasSizeGreaterThan(40);
        return key;
    }

    @Test
    void clientsAreAddedListedAndRevoked() {
        String key = addClient("editor");
        assertThat(cli.run("serve", "clients", "add", "editor", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("A client called 'editor' is already registered");

        assertThat(cli.run("serve", "clients", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("editor\tmay call until ").contains("(generate)").doesNotContain(key);

        assertThat(cli.run("serve", "clients", "revoke", "editor", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("Revoked 'editor': its key no longer works and its consent is withdrawn.");
        assertThat(cli.run("serve", "clients", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("editor\trevoked ");
        assertThat(cli.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("local API: editor").contains("withdrawn");

        assertThat(cli.run("serve", "clients", "add", "x", "--operations", "share", "--passphrase-file",
                pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("--operations takes generate, embed or both, not 'share'.");
    }

    @Test
    void serveAnswersAClientUntilStoppedThenLocksTheVault() throws Exception {
        String key = addClient("editor");
        CliRun serving = new CliRun(home);
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try {
            Future<Integer> exit = thread.submit(() -> serving.run("serve", "--port", "0", "--passphrase-file",
                    pass.toString()));
            Waits.waitUntil(() -> serving.out().contains("The local API listens on "));
            Matcher m = Pattern.compile("listens on (http://127\\.0\\.0\\.1:\\d+/v1) \\(1 client\\)").matcher(serving.out());
            assertThat(m.find()).as(serving.out()).isTrue();
            HttpResponse<String> r = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(
                    HttpRequest.newBuilder(URI.create(m.group(1) + "/chat/completions"))
                            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"model\":\"tiny-llama\",\"max_tokens\":4,\"temperature\":0,"
                                            + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"object\":\"chat.completion\"");

            ServeCommand.STOP.get().run();
            assertThat(exit.get(60, TimeUnit.SECONDS)).as(serving.err()).isZero();
            assertThat(serving.out()).endsWith("The local API stopped." + System.lineSeparator());
        } finally {
            thread.shutdownNow();
            assertThat(thread.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(cli.run("audit", "verify", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
    }

    @Test
    void aPortOutOfRangeIsRefusedInPlainWords() {
        assertThat(cli.run("serve", "--port", "70000", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("--port must be a number from 0 to 65535.");
    }
}
