package org.sovereign.core.egress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The workspace's network policy on a real vault: a consent naming the host opens the way, withdrawing it closes it. */
class NetworkPurposesTest {

    @TempDir
    Path tmp;
    private UnlockedWorkspace workspace;
    private HttpServer server;
    private int port;

    @BeforeEach
    void setUp() throws Exception {
        LocalStore store = LocalStore.create(tmp.resolve("home"), "network test passphrase".toCharArray(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC());
        workspace = new UnlockedWorkspace(store, new ModelLeases(id -> {
            throw new IllegalStateException("no models in this test");
        }, Optional::empty), Clock.systemUTC());
        server = workspace.network().httpServer(EgressRequest.listenOnLoopback(NetworkPurposes.SERVE, 0), 4);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, 2);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(new byte[] {'o', 'k'});
            }
        });
        server.start();
        port = server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        workspace.close();
    }

    private int fetch(String consentId) throws Exception {
        EgressRequest request = EgressRequest.connect(NetworkPurposes.PACK_FETCH, "127.0.0.1", port, consentId);
        try (EgressGuard.HttpGet get = workspace.network().get(request, URI.create("http://127.0.0.1:" + port + "/x"),
                Map.of(), Duration.ofSeconds(5))) {
            get.body().readAllBytes();
            return get.status();
        }
    }

    private List<AuditEntry> egressEntries() {
        LocalStore store = workspace.store();
        store.audit().flush();
        return store.audit().entries(0, store.audit().size()).stream().filter(e -> e.type().startsWith("egress.")).toList();
    }

    @Test
    void aConsentNamingTheHostAllowsTheDownloadAndTheAuditLogShowsItsBytes() throws Exception {
        String id = ConsentFixture.consent().purpose(NetworkPurposes.PACK_FETCH).source("net:127.0.0.1")
                .operations(Operation.SHARE).grantIn(workspace.store());

        assertThat(fetch(id)).isEqualTo(200);

        List<AuditEntry> entries = egressEntries();
        assertThat(entries).extracting(AuditEntry::type).contains(AuditTypes.EGRESS_LISTENING, AuditTypes.EGRESS_CONNECTED,
                AuditTypes.EGRESS_CLOSED);
        AuditEntry closed = entries.stream().filter(e -> e.type().equals(AuditTypes.EGRESS_CLOSED)).findFirst().orElseThrow();
        assertThat(closed.refs()).containsEntry("purpose", NetworkPurposes.PACK_FETCH).containsEntry("received", "2")
                .containsEntry("basis", "consent:" + id).containsEntry("destination", "127.0.0.1:" + port);
    }

    @Test
    void withoutAConsentOrAfterWithdrawalNothingIsContacted() throws Exception {
        assertThatThrownBy(() -> fetch(null)).isInstanceOf(EgressRefusedException.class).hasMessageContaining("needs your consent");
        String otherHost = ConsentFixture.consent().purpose(NetworkPurposes.PACK_FETCH).source("net:huggingface.co")
                .operations(Operation.SHARE).grantIn(workspace.store());
        assertThatThrownBy(() -> fetch(otherHost)).isInstanceOf(EgressRefusedException.class)
                .hasMessageContaining("does not name 127.0.0.1");
        String id = ConsentFixture.consent().purpose(NetworkPurposes.PACK_FETCH).source("net:127.0.0.1")
                .operations(Operation.SHARE).grantIn(workspace.store());
        assertThat(fetch(id)).isEqualTo(200);

        workspace.consents().withdraw(id, false);

        assertThatThrownBy(() -> fetch(id)).isInstanceOf(EgressRefusedException.class).hasMessageContaining("no longer in force");
        assertThat(egressEntries()).extracting(AuditEntry::type).filteredOn(AuditTypes.EGRESS_REFUSED::equals).hasSize(3);
        assertThat(egressEntries()).extracting(AuditEntry::type).filteredOn(AuditTypes.EGRESS_CONNECTED::equals).hasSize(1);
    }

    @Test
    void purposesWithoutARuleAreRefused() {
        assertThatThrownBy(() -> workspace.network().listen(EgressRequest.listenOnLoopback("telemetry", 0), 1))
                .isInstanceOf(EgressRefusedException.class).hasMessageContaining("'telemetry'");
    }
}
