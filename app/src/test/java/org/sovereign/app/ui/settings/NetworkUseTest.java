package org.sovereign.app.ui.settings;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;
import org.sovereign.testing.ConsentFixture;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings' "Network use" (the egress ledger) without a window, on a real vault and real sockets on 127.0.0.1. */
class NetworkUseTest {

    @TempDir
    Path home;
    private VaultSessionState session;
    private NetworkUse vm;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        var workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        vm = FxThread.call(() -> new NetworkUse(session, BackgroundTasks.sameThread(), ZoneOffset.UTC));
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    @Test
    void aVaultThatNeverUsedTheNetworkSaysSoInPlainWords() {
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.summaryProperty().get()).isEqualTo("This workstation has never used the network.");
    }

    @Test
    void listsConnectionsWithTheirConsentByPurposeAndTheRefusedOnes() throws Exception {
        var store = session.unlockedProperty().get();
        String consent = ConsentFixture.consent().purpose(NetworkPurposes.MESH).source("net:127.0.0.1")
                .operations(Operation.SHARE).grantIn(store);
        UnlockedWorkspace workspace = session.workspace();
        int port;
        try (ServerSocket peer = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = peer.getLocalPort();
            try (Socket s = workspace.network().connect(EgressRequest.connect(NetworkPurposes.MESH, "127.0.0.1", port,
                    consent), Duration.ofSeconds(5)); Socket accepted = peer.accept()) {
                s.getOutputStream().write(new byte[1234]);
                accepted.getInputStream().readNBytes(1234);
            }
        }
        assertThatThrownBy(() -> workspace.network().connect(EgressRequest.connect(NetworkPurposes.PACK_FETCH,
                "127.0.0.1", port, null), Duration.ofSeconds(1))).isInstanceOf(EgressRefusedException.class);

        FxThread.run(vm::refresh);

        assertThat(vm.rows()).hasSize(2);
        NetworkUse.Row mesh = vm.rows().get(0);
        assertThat(mesh.direction()).isEqualTo("outgoing");
        assertThat(mesh.purpose()).isEqualTo("mesh");
        assertThat(mesh.destination()).isEqualTo("127.0.0.1:" + port);
        assertThat(mesh.bytes()).isEqualTo("1,234 sent, 0 received");
        assertThat(mesh.basis()).startsWith("your consent for 'mesh' of ").doesNotContain(consent);
        assertThat(mesh.refused()).isFalse();
        NetworkUse.Row refused = vm.rows().get(1);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.direction()).isEqualTo("refused");
        assertThat(refused.bytes()).isEqualTo("nothing sent");
        assertThat(vm.summaryProperty().get()).isEqualTo("1 connection(s) recorded, 1 refused (nothing was opened for those).");

        FxThread.run(session::lock);
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.summaryProperty().get()).startsWith("Unlock the vault");
    }
}
