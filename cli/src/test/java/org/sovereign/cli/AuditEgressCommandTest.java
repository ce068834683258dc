package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code sovereign audit egress}: the egress ledger from the audit log, on a real vault, with real sockets on 127.0.0.1. */
class AuditEgressCommandTest {

    @TempDir
    Path tmp;

    @Test
    void aNewVaultSaysInPlainWordsThatItNeverUsedTheNetworkAndLaterConnectionsAreListed() throws Exception {
        Path home = tmp.resolve("home");
        Path pass = Files.writeString(tmp.resolve("pass"), "egress ledger passphrase\n");
        CliRun cli = new CliRun(home);
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();

        assertThat(cli.run("audit", "egress")).as(cli.err()).isZero();
        assertThat(cli.out().strip()).isEqualTo("This workstation has never used the network.");

        int port;
        Workstation workstation = Workstation.create(DataDirectory.resolve(home), tmp.resolve("log"));
        try (UnlockedWorkspace workspace = workstation.unlock("egress ledger passphrase".toCharArray())) {
            try (ServerSocket listener = workspace.network().listen(
                    EgressRequest.listenOnLoopback(NetworkPurposes.SERVE, 0), 1)) {
                port = listener.getLocalPort();
                try (Socket client = new Socket("127.0.0.1", port); Socket accepted = listener.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write(new byte[] {1, 2, 3});
                    out.flush();
                    InputStream in = accepted.getInputStream();
                    assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
                    accepted.getOutputStream().write(9);
                }
            }
            assertThatThrownBy(() -> workspace.network().connect(
                    EgressRequest.connect(NetworkPurposes.MESH, "127.0.0.1", port, null), Duration.ofSeconds(1)))
                    .isInstanceOf(EgressRefusedException.class);
        }

        assertThat(cli.run("audit", "egress")).as(cli.err()).isZero();
        String[] lines = cli.out().strip().split("\n");
        assertThat(lines).hasSize(4);
        assertThat(lines[0]).contains("listening", "serve", "127.0.0.1:" + port, "0 sent, 0 received", "(started by you)",
                "closed ");
        assertThat(lines[1]).contains("incoming", "serve", " -> 127.0.0.1:" + port, "1 sent, 3 received");
        assertThat(lines[2]).contains("REFUSED", "mesh", "127.0.0.1:" + port, "nothing sent", "(nothing allowed it)");
        assertThat(lines[3]).isEqualTo("2 connection(s), 1 refused (nothing was opened for those).");
        assertThat(cli.run("audit", "verify")).as(cli.err()).isZero();
    }
}
