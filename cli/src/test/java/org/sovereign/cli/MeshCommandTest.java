package org.sovereign.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign mesh status} and {@code mesh serve} on a real vault; serve listens on 127.0.0.1 only. */
class MeshCommandTest {
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
    }

    private String grantShareConsent() {
        try (LocalStore store = LocalStore.unlock(home, "a long and private passphrase".toCharArray(), Clock.systemUTC())) {
            return ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE).grantIn(store);
        }
    }

    @Test
    void statusSaysInPlainWordsWhenThisWorkstationHasNotJoined() {
        assertThat(cli.run("mesh", "status")).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo("This workstation has not joined a cooperative. Start a member with "
                + "'sovereign mesh serve --coop ID --consent CONSENT'." + System.lineSeparator());
    }

    @Test
    void serveJoinsAsALoneMemberOnLoopbackAndStatusThenShowsTheCooperativeAndItsLogs() throws Exception {
        String consent = grantShareConsent();
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }

        assertThat(cli.run("mesh", "serve", "--coop", "coop-cli", "--consent", consent, "--port",
                Integer.toString(port), "--peer", "127.0.0.1:" + (port == 65_535 ? port - 1 : port + 1),
                "--stop-after", "2", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Joined cooperative coop-cli as ", "listening on 127.0.0.1:" + port,
                "Members in the last view: 1.",
                "Logs held: 1 member, 1 record"); // its published audit checkpoint
        try (LocalStore store = LocalStore.unlock(home, "a long and private passphrase".toCharArray(), Clock.systemUTC())) {
            MeshLog log = new MeshLog("coop-cli", RecordSigner.of(store.session()),
                    VaultRecordStore.open(store.session(), "coop-cli"), Clock.systemUTC());
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "one"));
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "two"));
        }

        assertThat(cli.run("mesh", "status")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Cooperative: coop-cli", "Listens on: 127.0.0.1:" + port,
                "Known peers: 127.0.0.1:", "run with --unlock");
        assertThat(cli.run("mesh", "status", "--unlock", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Logs held: 1 member, 3 records", "3 records, head ", "(this device)",
                "Frozen keys: none");
        assertThat(cli.run("audit", "show", "--limit", "50")).isZero();
        assertThat(cli.out()).contains("egress.listening").contains("mesh");
    }

    @Test
    void serveRefusesWithoutAConsentThatCoversTheMesh() {
        assertThat(cli.run("mesh", "serve", "--coop", "coop-cli", "--consent", "no-such-consent", "--stop-after", "1",
                "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("There is no consent no-such-consent.");
        assertThat(cli.run("mesh", "status")).isZero();
        assertThat(cli.out()).contains("has not joined a cooperative");
    }
}
