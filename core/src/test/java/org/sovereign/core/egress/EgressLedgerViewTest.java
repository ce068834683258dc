package org.sovereign.core.egress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.egress.EgressLedgerView.Connection;
import org.sovereign.core.egress.EgressLedgerView.Kind;
import org.sovereign.core.packs.ModelLeases;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.testing.ConsentFixture;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The egress ledger read back from a real vault's audit log after real connections on 127.0.0.1 through the guard. */
class EgressLedgerViewTest {

    @TempDir
    Path tmp;
    private UnlockedWorkspace workspace;

    @BeforeEach
    void setUp() {
        LocalStore store = LocalStore.create(tmp.resolve("home"), "ledger test passphrase".toCharArray(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC());
        workspace = new UnlockedWorkspace(store, new ModelLeases(id -> {
            throw new IllegalStateException("no models in this test");
        }, Optional::empty), Clock.systemUTC());
    }

    @AfterEach
    void tearDown() {
        workspace.close();
    }

    private List<Connection> ledger() {
        workspace.store().audit().flush();
        return EgressLedgerView.read(workspace.store().audit());
    }

    @Test
    void aVaultThatNeverUsedTheNetworkHasAnEmptyLedger() {
        assertThat(ledger()).isEmpty();
        assertThat(EgressLedgerView.NEVER_USED).isEqualTo("This workstation has never used the network.");
    }

    @Test
    void listsEveryConnectionWithItsBytesBasisAndTheRefusedOnes() throws Exception {
        HttpServer server = workspace.network().httpServer(EgressRequest.listenOnLoopback(NetworkPurposes.SERVE, 0), 4);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 5);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("hello".getBytes());
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        String id;
        try {
            id = ConsentFixture.consent().purpose(NetworkPurposes.PACK_FETCH).source("net:127.0.0.1")
                    .operations(Operation.SHARE).grantIn(workspace.store());
            EgressRequest request = EgressRequest.connect(NetworkPurposes.PACK_FETCH, "127.0.0.1", port, id);
            try (EgressGuard.HttpGet get = workspace.network().get(request,
                    URI.create("http://127.0.0.1:" + port + "/model"), Map.of(), Duration.ofSeconds(5))) {
                assertThat(get.body().readAllBytes()).hasSize(5);
            }
            assertThatThrownBy(() -> workspace.network().connect(
                    EgressRequest.connect(NetworkPurposes.MESH, "127.0.0.1", port, null), Duration.ofSeconds(1)))
                    .isInstanceOf(EgressRefusedException.class);
        } finally {
            server.stop(0);
        }

        List<Connection> rows = ledger();

        assertThat(rows).extracting(Connection::kind).containsExactly(Kind.LISTENING, Kind.OUTGOING, Kind.REFUSED);
        Connection listening = rows.get(0);
        assertThat(listening.destination()).isEqualTo("127.0.0.1:" + port);
        assertThat(listening.basisText(c -> c)).isEqualTo("started by you");
        assertThat(listening.closed()).isTrue();
        assertThat(listening.sent()).as("the response body the server wrote").isEqualTo(5);

        Connection download = rows.get(1);
        assertThat(download.purpose()).isEqualTo(NetworkPurposes.PACK_FETCH);
        assertThat(download.destination()).isEqualTo("127.0.0.1:" + port);
        assertThat(download.basis()).isEqualTo("consent:" + id);
        assertThat(download.basisText(c -> "your consent " + c)).isEqualTo("your consent " + id);
        assertThat(download.received()).isEqualTo(5);
        assertThat(download.sent()).isPositive();
        assertThat(download.bytesText()).isEqualTo(String.format("%,d sent, 5 received", download.sent()));
        assertThat(download.closedAt()).isAfterOrEqualTo(download.time());

        Connection refused = rows.get(2);
        assertThat(refused.refused()).isTrue();
        assertThat(refused.purpose()).isEqualTo(NetworkPurposes.MESH);
        assertThat(refused.bytesText()).isEqualTo("nothing sent");
        assertThat(refused.basisText(c -> c)).isEqualTo("nothing allowed it");
    }

    @Test
    void aConnectionTheProgramNeverClosedShowsNoByteCountsAndIdenticalOnesPairInOrder() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        Map<String, String> open = Map.of("purpose", "mesh", "direction", "connect", "destination", "peer.lan:7800",
                "basis", "consent:c1");
        List<AuditEntry> entries = List.of(
                entry(0, t, AuditTypes.EGRESS_CONNECTED, open),
                entry(1, t.plusSeconds(1), AuditTypes.EGRESS_CONNECTED, open),
                entry(2, t.plusSeconds(2), AuditTypes.EGRESS_CLOSED, with(open, "sent", "10", "received", "20")),
                entry(3, t.plusSeconds(3), AuditTypes.CONSENT_GIVEN, Map.of()));

        List<Connection> rows = EgressLedgerView.of(entries);

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).sent()).isEqualTo(10);
        assertThat(rows.get(0).received()).isEqualTo(20);
        assertThat(rows.get(1).closed()).isFalse();
        assertThat(rows.get(1).bytesText()).startsWith("not recorded");
    }

    private static Map<String, String> with(Map<String, String> base, String k1, String v1, String k2, String v2) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>(base);
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static AuditEntry entry(long sequence, Instant time, String type, Map<String, String> refs) {
        return new AuditEntry(sequence, time, type, "device", refs, Map.of());
    }
}
