package org.sovereign.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mesh create}, {@code invite}, {@code join} and {@code leave} on real vaults: the steward serves in a JVM of
 * its own, the joiner runs here; both on 127.0.0.1 only. The child is stopped by every test.
 */
class MeshJoinCommandTest {
    private static final String PASSPHRASE = "a long and private passphrase";
    @TempDir
    Path tmp;
    private Path pass;
    private CliRun steward;
    private CliRun joiner;
    private Process child;

    @BeforeEach
    void setUp() throws Exception {
        pass = Files.writeString(tmp.resolve("pass"), PASSPHRASE + "\n");
        steward = new CliRun(tmp.resolve("steward"));
        joiner = new CliRun(tmp.resolve("joiner"));
        for (CliRun cli : List.of(steward, joiner)) {
            assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                    "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        }
    }

    @AfterEach
    void stopChild() throws InterruptedException {
        MeshJoinCommand.answers = System.in;
        if (child != null && child.isAlive()) {
            child.destroy();
            if (!child.waitFor(20, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private String shareConsent(Path home) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            return ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE).grantIn(store);
        }
    }

    /** Founds the cooperative, invites, and starts the steward's 'mesh serve' in a child JVM; returns the invite file. */
    private Path founded(int stewardPort) throws Exception {
        assertThat(steward.run("mesh", "create", "--coop", "coop-cli", "--name", "Bee keepers", "--port",
                Integer.toString(stewardPort), "--passphrase-file", pass.toString())).as(steward.err()).isZero();
        assertThat(steward.out()).contains("Founded the cooperative Bee keepers (id coop-cli) with 1 steward");
        Path invite = tmp.resolve("invite.json");
        assertThat(steward.run("mesh", "invite", "--out", invite.toString(), "--passphrase-file", pass.toString()))
                .as(steward.err()).isZero();
        assertThat(steward.out()).contains("the short code coop-cli@127.0.0.1:" + stewardPort + "/");
        String consent = shareConsent(tmp.resolve("steward"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), ChildCli.class.getName(),
                "mesh", "serve", "--consent", consent, "--stop-after", "150", "--passphrase-file", pass.toString(),
                "--data-dir", tmp.resolve("steward").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove("JAVA_TOOL_OPTIONS");
        child = builder.start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        String line = lines.readLine();
        while (line != null && !line.startsWith("Joined cooperative")) {
            line = lines.readLine();
        }
        assertThat(line).as("the steward serves").isNotNull();
        Thread drain = new Thread(() -> {
            try {
                while (lines.readLine() != null) {
                    // keep the child's output flowing
                }
            } catch (java.io.IOException e) {
                // the child ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        return invite;
    }

    @Test
    void aDeviceJoinsWithAnInviteFileAfterConsentingAndTheStewardAdmitsIt() throws Exception {
        int stewardPort = freePort();
        Path invite = founded(stewardPort);

        MeshJoinCommand.answers = new ByteArrayInputStream("yes\n".getBytes(StandardCharsets.UTF_8));
        assertThat(joiner.run("mesh", "join", invite.toString(), "--name", "Ann", "--port",
                Integer.toString(freePort()), "--wait", "120", "--passphrase-file", pass.toString()))
                .as(joiner.out() + joiner.err()).isZero();
        assertThat(joiner.out()).contains("You allow this workstation to join the cooperative \"Bee keepers\" (id coop-cli)",
                "pack offers", "checkpoints", "votes", "Type yes to give this consent", "Admitted to Bee keepers as ");

        assertThat(joiner.run("mesh", "status", "--unlock", "--passphrase-file", pass.toString()))
                .as(joiner.err()).isZero();
        assertThat(joiner.out()).contains("Cooperative: coop-cli", "Cooperative name: Bee keepers", "Members: 2 admitted",
                "steward", "(this device)", "Pending: none");
        assertThat(joiner.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(joiner.out()).contains("mesh");

        child.destroy();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(steward.run("mesh", "status", "--unlock", "--passphrase-file", pass.toString()))
                .as(steward.err()).isZero();
        assertThat(steward.out()).contains("Members: 2 admitted", "Ann");

        assertThat(joiner.run("mesh", "leave", "--wait", "1", "--passphrase-file", pass.toString()))
                .as(joiner.err()).isZero();
        assertThat(joiner.out()).contains("You left the cooperative Bee keepers.", "The consent to share is withdrawn.");
        assertThat(joiner.run("mesh", "status")).isZero();
        assertThat(joiner.out()).contains("has not joined a cooperative");
    }

    @Test
    void decliningTheConsentQuestionSendsNothing() throws Exception {
        assertThat(steward.run("mesh", "create", "--coop", "coop-cli", "--name", "Bee keepers", "--passphrase-file",
                pass.toString())).as(steward.err()).isZero();
        Path invite = tmp.resolve("invite.json");
        assertThat(steward.run("mesh", "invite", "--out", invite.toString(), "--peer", "127.0.0.1:" + freePort(),
                "--passphrase-file", pass.toString())).as(steward.err()).isZero();

        MeshJoinCommand.answers = new ByteArrayInputStream("no\n".getBytes(StandardCharsets.UTF_8));
        assertThat(joiner.run("mesh", "join", invite.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(joiner.out()).contains("You did not join; nothing was sent.");
        assertThat(joiner.run("audit", "egress")).as(joiner.err()).isZero();
        assertThat(joiner.out()).doesNotContain("mesh");
        assertThat(joiner.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(joiner.out()).doesNotContain("mesh");
        assertThat(joiner.run("mesh", "status")).isZero();
        assertThat(joiner.out()).contains("has not joined a cooperative");
    }

    @Test
    void aChangedInviteFileOrAMistypedCodeIsRefusedBeforeAnythingIsAsked() throws Exception {
        assertThat(steward.run("mesh", "create", "--coop", "coop-cli", "--name", "Bee keepers", "--passphrase-file",
                pass.toString())).as(steward.err()).isZero();
        Path invite = tmp.resolve("invite.json");
        assertThat(steward.run("mesh", "invite", "--out", invite.toString(), "--peer", "127.0.0.1:7900",
                "--passphrase-file", pass.toString())).as(steward.err()).isZero();
        String code = steward.out().lines().filter(l -> l.contains("short code")).findFirst().orElseThrow()
                .replaceAll(".*short code ", "").strip();
        Files.writeString(invite, Files.readString(invite).replace("127.0.0.1:7900", "127.0.0.1:7901"));

        assertThat(joiner.run("mesh", "join", invite.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(joiner.err()).contains("The invitation was not signed by a steward of the cooperative.");
        String typo = code.substring(0, code.length() - 1) + (code.endsWith("A") ? "B" : "A");
        assertThat(joiner.run("mesh", "join", typo, "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(joiner.err()).contains("The short code has a typo");
        assertThat(joiner.out()).doesNotContain("You allow");
        assertThat(steward.run("mesh", "invite", "--out", invite.toString(), "--passphrase-file", pass.toString()))
                .isZero();
        assertThat(joiner.run("mesh", "invite", "--out", invite.toString(), "--peer", "127.0.0.1:7900",
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(joiner.err()).contains("belongs to no cooperative");
    }

    @Test
    void withTwoOfTwoStewardsOneSignatureLeavesTheAdmissionPending() throws Exception {
        String other = hexKey(tmp.resolve("joiner"));
        assertThat(steward.run("mesh", "create", "--coop", "coop-cli", "--name", "Bee keepers", "--steward", other,
                "--k", "2", "--passphrase-file", pass.toString())).as(steward.err()).isZero();
        assertThat(steward.out()).contains("with 2 stewards; 2 must sign each admission or removal.");
        CliRun third = new CliRun(tmp.resolve("third"));
        assertThat(third.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(third.err()).isZero();
        String newcomer = hexKey(tmp.resolve("third"));

        assertThat(steward.run("mesh", "admit", newcomer, "--name", "Cy", "--passphrase-file", pass.toString()))
                .as(steward.err()).isZero();
        assertThat(steward.out()).contains("Signed the admission of " + newcomer.substring(0, 16)
                + ": 1 of 2 stewards so far.");
        assertThat(steward.run("mesh", "admit", newcomer.substring(0, 8), "--passphrase-file", pass.toString()))
                .as(steward.err()).isZero();
        assertThat(steward.out()).as("the same steward twice is still one").contains("1 of 2 stewards so far.");
        assertThat(steward.run("mesh", "status", "--unlock", "--passphrase-file", pass.toString())).isZero();
        assertThat(steward.out()).contains("Members: 2 admitted", "Pending: ", newcomer.substring(0, 16)
                + "  signed by 1 of 2 stewards");
        assertThat(steward.run("mesh", "remove", other.substring(0, 8), "--reason", "test",
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(steward.err()).contains("A steward cannot be removed this way.");
    }

    private static String hexKey(Path home) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            return java.util.HexFormat.of().formatHex(store.deviceIdentity().publicKey());
        }
    }
}
