package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.witness.Witness;
import org.sovereign.mesh.witness.WitnessRecords;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mesh serve} publishes the audit checkpoint; {@code mesh witnesses} shows who cosigned it. */
class MeshWitnessesCommandTest {
    private static final String COOP = "coop-wit";
    private static final String PASSPHRASE = "a long and private passphrase";

    @TempDir
    Path tmp;

    @Test
    void servePublishesTheCheckpointAndWitnessesListsThePeerThatCosignedIt() throws Exception {
        Path home = tmp.resolve("home");
        CliRun cli = new CliRun(home);
        Path pass = Files.writeString(tmp.resolve("pass"), PASSPHRASE + "\n");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        assertThat(cli.run("mesh", "witnesses", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("has not joined a cooperative");

        String consent;
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            consent = ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE).grantIn(store);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        assertThat(cli.run("mesh", "serve", "--coop", COOP, "--consent", consent, "--port", Integer.toString(port),
                "--stop-after", "1", "--passphrase-file", pass.toString())).as(cli.err()).isZero();

        assertThat(cli.run("mesh", "witnesses", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Published to the cooperative: a checkpoint of ", "Witnessed by: no member yet.");

        // a peer (another real vault) receives the published records, cosigns, and its cosignature comes back
        Path peerHome = tmp.resolve("peer");
        Files.createDirectories(peerHome);
        try (LocalStore mine = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC());
             LocalStore peer = LocalStore.create(peerHome, PASSPHRASE.toCharArray(), TestKdf.FAST, Clock.systemUTC())) {
            MeshLog myLog = log(mine);
            MeshLog peerLog = log(peer);
            List<LogRecord> published = myLog.range(myLog.self(), 1, 100);
            assertThat(published).extracting(LogRecord::type).containsExactly(WitnessRecords.CHECKPOINT);
            published.forEach(peerLog::receive);
            Witness peerWitness = new Witness(peerLog, RecordSigner.of(peer.session()), peer.signer().keyName(),
                    Clock.systemUTC());
            assertThat(peerWitness.witnessAll().cosigned()).isEqualTo(1);
            peerLog.range(peerLog.self(), 1, 100).forEach(myLog::receive);
        }
        assertThat(cli.run("mesh", "witnesses", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Witnessed by 1 member:", "sovereign-device-").doesNotContain("Warning");
    }

    private static MeshLog log(LocalStore store) {
        return new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                Clock.systemUTC());
    }
}
