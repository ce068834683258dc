package org.sovereign.mesh.net;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressLedger;
import org.sovereign.store.egress.EgressPolicy;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Waits.waitUntil;

/** JGroups members in this JVM on 127.0.0.1: every socket they open is the egress guard's, and is in the ledger. */
class MeshNodeEgressTest {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private final List<MeshNode> started = new ArrayList<>();

    record Entry(String type, Map<String, String> refs) {
    }

    /** Allows mesh connections to 127.0.0.1 under consent "share-1", as core's NetworkPurposes would with that consent. */
    static final EgressPolicy POLICY = request -> {
        if (request.direction() == EgressRequest.Direction.LISTEN) {
            return "started-by-user";
        }
        if (request.purpose().equals("mesh") && "share-1".equals(request.consentId())
                && request.host().equals("127.0.0.1")) {
            return "consent:share-1";
        }
        throw new EgressRefusedException("Connecting to " + request.host() + " for 'mesh' needs your consent.");
    };

    static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private MeshNode member(String name, int port, List<String> peers, List<Entry> ledger, String consent, Path peersFile)
            throws Exception {
        EgressGuard guard = new EgressGuard(POLICY, (type, refs) -> ledger.add(new Entry(type, Map.copyOf(refs))));
        LogSync sync = new LogSync(new MeshLog("coop-1", RecordSigner.generate(), new MemoryRecordStore(),
                Clock.systemUTC()));
        MeshProfile profile = MeshProfile.defaults("coop-1", port, peers)
                .withTimings(Duration.ofSeconds(1), Duration.ofSeconds(6));
        MeshNode node = MeshNode.join(profile, sync, guard, () -> consent, peersFile);
        started.add(node);
        return node;
    }

    @AfterEach
    void stop() {
        started.forEach(MeshNode::close);
    }

    private static long count(List<Entry> ledger, String type) {
        return ledger.stream().filter(e -> e.type().equals(type)).count();
    }

    @Test
    void everyConnectionJGroupsOpensIsTheGuardsAndIsInTheLedger(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        int portA = freePort();
        int portB = freePort();
        List<Entry> ledgerA = new CopyOnWriteArrayList<>();
        List<Entry> ledgerB = new CopyOnWriteArrayList<>();
        MeshNode a = member("a", portA, List.of("127.0.0.1:" + portB), ledgerA, "share-1", null);
        MeshNode b = member("b", portB, List.of("127.0.0.1:" + portA), ledgerB, "share-1", dir.resolve("peers.txt"));

        waitUntil("two members in one view", BOUND, () -> a.members().size() == 2 && b.members().size() == 2);
        a.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "hello"));
        waitUntil("b holds a's record", BOUND, () -> b.sync().log().heads().containsKey(a.sync().log().self()));
        waitUntil("the record's sending is in a's ledger", BOUND,
                () -> count(ledgerA, org.sovereign.mesh.log.LogSync.RECORDS_SENT) > 0);
        assertThat(ledgerA).filteredOn(e -> e.type().equals(org.sovereign.mesh.log.LogSync.RECORDS_SENT)).first()
                .satisfies(e -> assertThat(e.refs()).containsEntry("purpose", "mesh").containsEntry("records", "1")
                        .containsEntry("logs", a.sync().log().self().substring(0, 16) + ":1-1")
                        .containsKeys("peer", "bytes"));
        assertThat(ledgerB).as("b sent no record").noneMatch(e -> e.type().equals(org.sovereign.mesh.log.LogSync.RECORDS_SENT));

        for (List<Entry> ledger : List.of(ledgerA, ledgerB)) {
            assertThat(ledger).filteredOn(e -> e.type().equals(EgressLedger.LISTENING)).singleElement()
                    .satisfies(e -> assertThat(e.refs()).containsEntry("purpose", "mesh")
                            .containsEntry("basis", "started-by-user")
                            .containsEntry("destination", e.refs().get("destination")));
            assertThat(ledger).filteredOn(e -> e.type().equals(EgressLedger.CONNECTED))
                    .allSatisfy(e -> assertThat(e.refs()).containsEntry("purpose", "mesh")
                            .containsEntry("basis", "consent:share-1"));
        }
        assertThat(count(ledgerA, EgressLedger.ACCEPTED) + count(ledgerB, EgressLedger.ACCEPTED))
                .as("connections accepted").isPositive();
        for (MeshNode node : List.of(a, b)) {
            List<Entry> ledger = node == a ? ledgerA : ledgerB;
            TCP tcp = node.transport();
            long live = count(ledger, EgressLedger.CONNECTED) + count(ledger, EgressLedger.ACCEPTED)
                    - count(ledger, EgressLedger.CLOSED);
            // A connection attempt is written before it is made; one that fails (the peer was not listening yet) is
            // written as closed at once, so the ledger's open connections are those written and not closed.
            assertThat(tcp.getOpenConnections()).as("JGroups' open connections are the ledger's open ones")
                    .isEqualTo(live);
        }
        waitUntil("b remembers a as a known peer", BOUND,
                () -> KnownPeers.load(dir.resolve("peers.txt")).contains("127.0.0.1:" + portA));
        assertThat(b.sync().log().peerHeads()).as("heads a announced, remembered under a's member key (USB bundles)")
                .containsKey(a.sync().log().self());
    }

    @Test
    void withoutTheShareConsentNoConnectionIsMadeAndTheRefusalIsInTheLedger() throws Exception {
        int portA = freePort();
        int portB = freePort();
        List<Entry> ledgerA = new CopyOnWriteArrayList<>();
        List<Entry> ledgerB = new CopyOnWriteArrayList<>();
        MeshNode a = member("a", portA, List.of(), ledgerA, "share-1", null);
        MeshNode b = member("b", portB, List.of("127.0.0.1:" + portA), ledgerB, null, null);

        waitUntil("b was refused", BOUND, () -> count(ledgerB, EgressLedger.REFUSED) > 0);
        assertThat(count(ledgerB, EgressLedger.CONNECTED)).isZero();
        assertThat(b.members()).hasSize(1);
        assertThat(ledgerB).filteredOn(e -> e.type().equals(EgressLedger.REFUSED))
                .allSatisfy(e -> assertThat(e.refs()).containsEntry("purpose", "mesh"));
        assertThat(a.members()).hasSize(1);
        assertThat(count(ledgerA, EgressLedger.ACCEPTED)).isZero();
    }
}
