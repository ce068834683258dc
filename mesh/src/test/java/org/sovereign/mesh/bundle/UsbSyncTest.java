package org.sovereign.mesh.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.TestKeys;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault test 6 of issue 11: two members with their own vaults and no network exchange their logs by bundle files
 * only; altered and cut-short bundles are refused with the reason and leave the vault as it was; a bundle leaves the
 * logs exactly as anti-entropy over the network would.
 */
class UsbSyncTest {
    private static final char[] PASS = "a long and private passphrase".toCharArray();
    private static final Clock CLOCK = Clock.systemUTC();

    @TempDir
    Path tmp;

    private LocalStore vault(String name) {
        Path dir = tmp.resolve(name);
        return LocalStore.exists(dir) ? LocalStore.unlock(dir, PASS.clone(), CLOCK)
                : LocalStore.create(dir, PASS.clone(), TestKdf.FAST, CLOCK);
    }

    private static String share(LocalStore store) {
        return ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE).grantIn(store);
    }

    private static void write(MeshLog log, int count) {
        for (int i = 0; i < count; i++) {
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("n", i));
        }
    }

    private static int items(LocalStore store) {
        return store.session().scopes().stream().filter(s -> s.kind().equals(VaultRecordStore.SCOPE_KIND))
                .mapToInt(s -> store.session().items(s.id()).size()).sum();
    }

    private static List<AuditEntry> audit(LocalStore store, String type) {
        return store.audit().entries(0, store.audit().size()).stream().filter(e -> e.type().equals(type)).toList();
    }

    @Test
    void twoMembersWithoutANetworkConvergeByBundlesAndASecondImportChangesNothing() throws Exception {
        Path toB = tmp.resolve("a-for-b.bundle");
        Path toA = tmp.resolve("b-for-a.bundle");
        Map<String, LogHead> headsOfA;
        String keyOfA;
        try (LocalStore a = vault("a")) {
            MeshLog log = MeshBundles.open(a, "coop-1", CLOCK);
            write(log, 3);
            keyOfA = log.self();
            MeshBundles.Exported exported = MeshBundles.export(a, "coop-1", "all", share(a), toB, CLOCK);
            assertThat(exported.records()).isEqualTo(3);
            assertThat(exported.sha256()).isEqualTo(sha256(toB));
            assertThat(audit(a, MeshBundles.AUDIT_EXPORTED)).singleElement()
                    .satisfies(e -> assertThat(e.refs()).containsEntry("records", "3").containsEntry("since", "all")
                            .containsEntry("sha256", exported.sha256()).containsEntry("file", "a-for-b.bundle"));
        }
        try (LocalStore b = vault("b")) {
            MeshLog log = MeshBundles.open(b, "coop-1", CLOCK);
            write(log, 2);
            MeshBundles.Imported imported = MeshBundles.importFile(b, "coop-1", toB, CLOCK);
            assertThat(imported.result().count(Receipt.APPENDED)).isEqualTo(3);
            // B saw from A's bundle that A holds its own 3 records: the bundle for A leaves them out.
            MeshBundles.Exported back = MeshBundles.export(b, "coop-1", keyOfA.substring(0, 10), share(b), toA, CLOCK);
            assertThat(back.records()).isEqualTo(2);
            assertThat(back.since()).isEqualTo(keyOfA);
        }
        try (LocalStore a = vault("a")) {
            assertThat(MeshBundles.importFile(a, "coop-1", toA, CLOCK).result().count(Receipt.APPENDED)).isEqualTo(2);
            headsOfA = MeshBundles.open(a, "coop-1", CLOCK).heads();
        }
        try (LocalStore b = vault("b")) {
            assertThat(MeshBundles.open(b, "coop-1", CLOCK).heads()).hasSize(2).isEqualTo(headsOfA);
            int before = items(b);
            MeshBundles.Imported again = MeshBundles.importFile(b, "coop-1", toB, CLOCK);
            assertThat(again.result().count(Receipt.DUPLICATE)).isEqualTo(3);
            assertThat(again.result().count(Receipt.APPENDED)).isZero();
            assertThat(items(b)).as("nothing stored by the second import").isEqualTo(before);
            assertThat(MeshBundles.open(b, "coop-1", CLOCK).heads()).isEqualTo(headsOfA);
            assertThat(audit(b, MeshBundles.AUDIT_IMPORTED)).hasSize(2)
                    .allSatisfy(e -> assertThat(e.refs()).containsEntry("exporter", keyOfA).containsEntry("records", "3"));
        }
    }

    @Test
    void alteredAndCutShortBundlesAreRefusedWithTheReasonAndNothingOfThemIsApplied() throws Exception {
        Path bundle = tmp.resolve("a.bundle");
        try (LocalStore a = vault("a")) {
            write(MeshBundles.open(a, "coop-1", CLOCK), 4);
            MeshBundles.export(a, "coop-1", "all", share(a), bundle, CLOCK);
        }
        byte[] good = Files.readAllBytes(bundle);
        byte[] altered = good.clone();
        altered[good.length - 30] ^= 0x20;
        Path tampered = Files.write(tmp.resolve("tampered.bundle"), altered);
        Path truncated = Files.write(tmp.resolve("truncated.bundle"), Arrays.copyOf(good, good.length / 2 + 40));
        try (LocalStore b = vault("b")) {
            write(MeshBundles.open(b, "coop-1", CLOCK), 1);
            int before = items(b);
            Map<String, LogHead> heads = MeshBundles.open(b, "coop-1", CLOCK).heads();

            assertThatThrownBy(() -> MeshBundles.importFile(b, "coop-1", tampered, CLOCK))
                    .isInstanceOf(BundleException.class)
                    .hasMessage("The bundle's records do not match its manifest (their SHA-256 differs): they were "
                            + "altered after export.");
            assertThatThrownBy(() -> MeshBundles.importFile(b, "coop-1", truncated, CLOCK))
                    .isInstanceOf(BundleException.class).hasMessageStartingWith("The bundle ends early: it holds ")
                    .hasMessageContaining("of the 4 records its manifest lists");
            assertThatThrownBy(() -> MeshBundles.importFile(b, "coop-2", bundle, CLOCK))
                    .isInstanceOf(BundleException.class)
                    .hasMessage("The bundle holds the records of cooperative coop-1, not of coop-2, which this "
                            + "workstation belongs to.");

            assertThat(items(b)).isEqualTo(before);
            assertThat(MeshBundles.open(b, "coop-1", CLOCK).heads()).isEqualTo(heads);
            assertThat(MeshBundles.open(b, "coop-1", CLOCK).peerHeads()).isEmpty();
            assertThat(audit(b, MeshBundles.AUDIT_REJECTED)).hasSize(3)
                    .anySatisfy(e -> assertThat(e.refs()).containsEntry("file", "tampered.bundle")
                            .containsEntry("sha256", sha256(tampered)));
            assertThat(audit(b, MeshBundles.AUDIT_IMPORTED)).isEmpty();
            assertThat(b.verifyAudit().holds()).isTrue();
        }
    }

    @Test
    void exportingNeedsAShareConsentForTheMeshAndWritesNothingWithoutIt() {
        Path bundle = tmp.resolve("a.bundle");
        try (LocalStore a = vault("a")) {
            write(MeshBundles.open(a, "coop-1", CLOCK), 1);
            String indexOnly = ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.INDEX)
                    .grantIn(a);
            assertThatThrownBy(() -> MeshBundles.export(a, "coop-1", "all", indexOnly, bundle, CLOCK))
                    .isInstanceOf(BundleException.class).hasMessage("The consent " + indexOnly
                            + " does not cover sharing with the mesh (purpose 'mesh', operation 'share').");
            String consent = share(a);
            a.consent().withdraw(consent);
            assertThatThrownBy(() -> MeshBundles.export(a, "coop-1", "all", consent, bundle, CLOCK))
                    .hasMessage("The consent " + consent + " is no longer in force.");
            assertThatThrownBy(() -> MeshBundles.export(a, "coop-1", "0123456789", share(a), bundle, CLOCK))
                    .hasMessage("No heads were seen from a member whose key starts with 0123456789, so what it lacks "
                            + "is not known.");
            assertThat(bundle).doesNotExist();
            assertThat(audit(a, MeshBundles.AUDIT_EXPORTED)).isEmpty();
        }
    }

    /** Delivers anti-entropy messages between two members until none is left, as the network path runs it. */
    private static void syncOverTheNetwork(LogSync a, LogSync b) {
        record Envelope(LogSync to, LogSync from, byte[] bytes) {
        }
        Deque<Envelope> queue = new ArrayDeque<>(List.of(new Envelope(b, a, a.heads()), new Envelope(a, b, b.heads())));
        for (int delivered = 0; !queue.isEmpty(); delivered++) {
            assertThat(delivered).isLessThan(1_000);
            Envelope e = queue.poll();
            for (byte[] reply : e.to().handle(e.from(), e.bytes())) {
                queue.add(new Envelope(e.from(), e.to(), reply));
            }
        }
    }

    @Test
    void aBundleLeavesTheLogsAsTheNetworkPathDoesAndAnEquivocationInItFreezesTheKey() {
        MeshLog fork1 = new MeshLog("coop-1", TestKeys.seeded(9), new MemoryRecordStore(), CLOCK);
        MeshLog fork2 = new MeshLog("coop-1", TestKeys.seeded(9), new MemoryRecordStore(), CLOCK);
        write(fork1, 2);
        fork2.append("note", 1, JsonNodeFactory.instance.objectNode().put("other", true));
        LogRecord first = fork1.get(fork1.self(), 1).orElseThrow();
        LogRecord conflicting = fork2.get(fork2.self(), 1).orElseThrow();

        MeshLog a = new MeshLog("coop-1", TestKeys.seeded(1), new MemoryRecordStore(), CLOCK);
        write(a, 7);
        a.receive(conflicting);
        MeshLog viaNetwork = new MeshLog("coop-1", TestKeys.seeded(2), new MemoryRecordStore(), CLOCK);
        write(viaNetwork, 2);
        viaNetwork.receive(first);
        viaNetwork.receive(a.get(a.self(), 1).orElseThrow());
        MeshLog viaBundle = new MeshLog("coop-1", TestKeys.seeded(2), copyOf(viaNetwork), CLOCK);

        syncOverTheNetwork(new LogSync(a), new LogSync(viaNetwork));
        MeshBundle bundle = MeshBundle.read(new java.io.ByteArrayInputStream(
                MeshBundle.export(a, TestKeys.seeded(1), null, 0).bytes()));
        BundleImport result = BundleImport.apply(viaBundle, bundle);

        assertThat(viaBundle.heads()).isEqualTo(viaNetwork.heads());
        assertThat(viaBundle.frozen().keySet()).containsExactly(first.author()).isEqualTo(viaNetwork.frozen().keySet());
        assertThat(viaBundle.frozen().get(first.author()).conflicting()).isEqualTo(conflicting);
        assertThat(result.newlyFrozen()).containsExactly(first.author());
        assertThat(result.count(Receipt.EQUIVOCATION)).isOne();
        assertThat(viaBundle.range(a.self(), 1, 100)).isEqualTo(viaNetwork.range(a.self(), 1, 100)).hasSize(7);
        assertThat(BundleImport.apply(viaBundle, bundle).count(Receipt.APPENDED)).isZero();
        assertThat(viaBundle.heads()).isEqualTo(viaNetwork.heads());
    }

    private static MemoryRecordStore copyOf(MeshLog log) {
        MemoryRecordStore copy = new MemoryRecordStore();
        log.heads().keySet().forEach(author -> log.range(author, 1, Integer.MAX_VALUE).forEach(copy::append));
        return copy;
    }

    private static String sha256(Path file) throws Exception {
        return org.sovereign.store.vault.crypto.Hex.encode(
                java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
