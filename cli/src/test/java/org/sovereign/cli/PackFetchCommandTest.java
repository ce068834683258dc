package org.sovereign.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.testing.FakeHub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** {@code pack fetch} against a hub on 127.0.0.1 ({@link FakeHub}): refused without consent, then fetched and listed. */
class PackFetchCommandTest {

    @TempDir
    Path tmp;
    private CliRun cli;
    private Path pass;
    private FakeHub hub;

    @BeforeEach
    void setUp() throws IOException {
        cli = new CliRun(tmp.resolve("home"));
        pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
        hub = new FakeHub(TINY_LLAMA.resolveSibling("hf-repos").resolve("llama"), "test-org/tiny-llama");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    @Test
    void withoutConsentItSaysHowToGiveItThenFetchesInstallsAndListsThePack() {
        String hubUrl = hub.url().toString();
        assertThat(cli.run("pack", "fetch", "test-org/tiny-llama@main", "--variant", "int8", "--hub", hubUrl,
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("Downloading from 127.0.0.1 needs your consent")
                .contains("To allow it: sovereign consent grant --purpose pack-fetch --source net:127.0.0.1");
        assertThat(hub.requests()).isEmpty();

        assertThat(cli.run("consent", "grant", "--purpose", "pack-fetch", "--source", "net:127.0.0.1",
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("pack", "fetch", "test-org/tiny-llama", "--variant", "int8", "--hub", hubUrl,
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("sends this download from localhost")
                .contains("To allow it: sovereign consent grant --purpose pack-fetch --source net:127.0.0.1 "
                        + "--source net:localhost");

        assertThat(cli.run("consent", "grant", "--purpose", "pack-fetch", "--source", "net:127.0.0.1", "net:localhost",
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("share", "pack-fetch", "net:127.0.0.1 net:localhost");
        assertThat(cli.run("pack", "fetch", "test-org/tiny-llama", "--list-variants", "--hub", hubUrl,
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("model_q4f16.onnx", "Default: q4");

        assertThat(cli.run("pack", "fetch", "test-org/tiny-llama", "--variant", "int8", "--hub", hubUrl,
                "--passphrase-file", pass.toString(), "--progress")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Fetched test-org/tiny-llama at commit " + FakeHub.COMMIT.substring(0, 12)
                + " from 127.0.0.1", "Variant int8 (model_int8.onnx", "Installed tiny-llama-int8-");
        assertThat(cli.err()).contains("Downloading onnx/model_int8.onnx", "100% ");

        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out()).contains("tiny-llama-int8", "text-generation");
        assertThat(cli.run("audit", "show", "--type", "egress.closed"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("purpose=pack-fetch", "destination=localhost:" + hub.url().getPort(), "received=");
    }

    @Test
    void aConsentCanNameNetworkHostsButNotMangledOnes() {
        assertThat(cli.run("consent", "grant", "--purpose", "pack-fetch", "--source", "net:bad host",
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("'bad host' is not a host name");
        assertThat(cli.run("consent", "grant", "--purpose", "notes", "--source", tmp.toString(),
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("Missing required option: '--operations=OPS' (for files and folders)");
    }
}
