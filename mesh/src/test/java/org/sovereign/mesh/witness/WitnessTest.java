package org.sovereign.mesh.witness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultBackup;
import org.sovereign.store.vault.crypto.Hex;
import org.sovereign.testing.TestKdf;
import org.sovereign.testing.Waits;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Witnessing between two real vaults: cosigning, a forked and a shrunk log, and a member restored from a backup. */
class WitnessTest {
    private static final String COOP = "coop-w";
    private static final char[] PASS = "correct horse battery".toCharArray();
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    /** One member: its vault, its view of the cooperative's logs and its witness. */
    private record Member(LocalStore store, MeshLog log, Witness witness) implements AutoCloseable {
        static Member create(Path dir) throws Exception {
            Files.createDirectories(dir);
            return of(LocalStore.create(dir, PASS.clone(), TestKdf.FAST, Clock.systemUTC()));
        }

        static Member of(LocalStore store) {
            RecordSigner self = RecordSigner.of(store.session());
            MeshLog log = new MeshLog(COOP, self, VaultRecordStore.open(store.session(), COOP), Clock.systemUTC());
            return new Member(store, log, new Witness(log, self, store.signer().keyName(), CLOCK));
        }

        void work(int entries) {
            for (int i = 0; i < entries; i++) {
                store.record("test.work", Map.of("n", Integer.toString(i)));
            }
            store.audit().flush();
        }

        String key() {
            return log.self();
        }

        @Override
        public void close() {
            store.close();
        }
    }

    private static void sync(MeshLog from, MeshLog to) {
        for (String author : from.heads().keySet()) {
            for (LogRecord r : from.range(author, 1, 100_000)) {
                to.receive(r);
            }
        }
    }

    @Test
    void aPeerCosignsEachNewConsistentCheckpointOnceAndTheMemberSeesWhoWitnessedIt(@TempDir Path dir) throws Exception {
        try (Member alice = Member.create(dir.resolve("alice")); Member bob = Member.create(dir.resolve("bob"))) {
            alice.work(3);
            LogRecord first = alice.witness().publish(alice.store().audit()).orElseThrow();
            assertThat(alice.witness().publish(alice.store().audit())).as("nothing new to publish").isEmpty();
            sync(alice.log(), bob.log());
            assertThat(bob.witness().witnessAll()).isEqualTo(new Witness.Outcome(1, 0));
            assertThat(bob.witness().witnessAll()).as("cosigned once").isEqualTo(new Witness.Outcome(0, 0));
            sync(bob.log(), alice.log());

            Witness.Report report = alice.witness().report(alice.key());
            assertThat(report.latest().orElseThrow().record()).isEqualTo(first);
            assertThat(report.witnesses()).containsExactly(
                    new Witness.Cosigner(bob.key(), bob.store().signer().keyName(), CLOCK.instant().getEpochSecond()));
            assertThat(report.forks()).isEmpty();

            alice.work(5);
            LogRecord second = alice.witness().publish(alice.store().audit()).orElseThrow();
            WitnessRecords.PublishedCheckpoint published = WitnessRecords.readCheckpoint(second);
            assertThat(published.previousRecord()).isEqualTo(first.seq());
            assertThat(published.previousSize()).isEqualTo(WitnessRecords.readCheckpoint(first).checkpoint().size());
            assertThat(alice.witness().report(alice.key()).witnesses()).as("the new checkpoint is not witnessed yet")
                    .isEmpty();
            sync(alice.log(), bob.log());
            assertThat(bob.witness().witnessAll()).isEqualTo(new Witness.Outcome(1, 0));
            sync(bob.log(), alice.log());
            assertThat(alice.witness().report(alice.key()).witnesses()).extracting(Witness.Cosigner::member)
                    .containsExactly(bob.key());
            assertThat(alice.witness().rollback(alice.store().audit())).isEmpty();
        }
    }

    @Test
    void aCosignatureIsTheC2spLineAThirdPartyChecksWithTheWitnessKeyOnly(@TempDir Path dir) throws Exception {
        try (Member alice = Member.create(dir.resolve("alice")); Member bob = Member.create(dir.resolve("bob"))) {
            alice.work(2);
            alice.witness().publish(alice.store().audit());
            sync(alice.log(), bob.log());
            bob.witness().witnessAll();
            LogRecord record = bob.log().range(bob.key(), 1, 10).get(0);
            WitnessRecords.PublishedCosignature c = WitnessRecords.readCosignature(record);
            byte[] bobKey = Hex.decode(bob.key());
            assertThat(Cosignatures.verify(c.checkpoint(), c.cosignature(), c.cosignature().keyName(), bobKey))
                    .hasValue(CLOCK.instant().getEpochSecond());
            assertThat(c.cosignature().keyId()).as("key id with type 0x04, not the note key id (0x01)")
                    .isEqualTo(Cosignatures.keyId(bob.store().signer().keyName(), bobKey))
                    .isNotEqualTo(bob.store().signer().verifierKey().keyId());
            Checkpoint other = new Checkpoint(c.checkpoint().origin(), c.checkpoint().size() + 1, new byte[32]);
            assertThat(Cosignatures.verify(other, c.cosignature(), c.cosignature().keyName(), bobKey)).isEmpty();
            assertThat(Cosignatures.verify(c.checkpoint(), c.cosignature(), c.cosignature().keyName(),
                    Hex.decode(alice.key()))).as("another key").isEmpty();
        }
    }

    @Test
    void theC2spExampleCosignatureCarriesItsTimestampBigEndian() throws Exception {
        // the example line in C2SP tlog-cosignature.md ("witness.example.com/w1", time 1679315147)
        var note = SignedNote.parse("example.com/behind-the-sofa\n20852163\n"
                + "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n"
                + "\u2014 witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZ"
                + "qhf5nNo0xUe+mbIUBkBIfZ+qnA==\n");
        assertThat(Cosignatures.timeOf(note.signatures().get(0))).hasValue(1_679_315_147L);
    }

    @Test
    void aForkedOrShrunkLogLeavesEvidenceAnyoneCanCheckAndIsNotCosignedAgain(@TempDir Path dir) throws Exception {
        for (boolean shrink : new boolean[] {false, true}) {
            Path d = dir.resolve(shrink ? "shrink" : "fork");
            try (Member mallory = Member.create(d.resolve("mallory")); Member bob = Member.create(d.resolve("bob"))) {
                mallory.work(4);
                LogRecord honest = mallory.witness().publish(mallory.store().audit()).orElseThrow();
                Checkpoint cp = WitnessRecords.readCheckpoint(honest).checkpoint();
                byte[] otherRoot = cp.rootHash();
                otherRoot[0] ^= 1;
                Checkpoint lie = shrink ? new Checkpoint(cp.origin(), cp.size() - 1, otherRoot)
                        : new Checkpoint(cp.origin(), cp.size() + 1, otherRoot);
                // mallory signs a checkpoint of another tree and claims it extends the published one
                LogRecord forged = mallory.log().append(WitnessRecords.CHECKPOINT, WitnessRecords.VERSION,
                        WitnessRecords.checkpointBody(lie.sign(mallory.store().signer()), honest.seq(), cp.size(),
                                List.of(new byte[32])));
                sync(mallory.log(), bob.log());
                assertThat(bob.witness().witnessAll()).isEqualTo(new Witness.Outcome(0, 1));
                assertThat(bob.witness().witnessAll()).as("evidence recorded once").isEqualTo(new Witness.Outcome(0, 0));

                assertThat(ForkEvidence.check(honest, forged)).hasValueSatisfying(reason ->
                        assertThat(reason).contains(shrink ? "shrank" : "does not extend"));
                assertThat(ForkEvidence.check(forged, honest)).as("order matters: the later names the earlier").isEmpty();
                assertThat(bob.witness().report(mallory.key()).forks()).hasSize(1);
                assertThat(bob.witness().report(mallory.key()).witnesses()).isEmpty();
            }
        }
    }

    @Test
    void consistentCheckpointsAreNoEvidence(@TempDir Path dir) throws Exception {
        try (Member alice = Member.create(dir.resolve("alice"))) {
            alice.work(3);
            LogRecord a = alice.witness().publish(alice.store().audit()).orElseThrow();
            alice.work(3);
            LogRecord b = alice.witness().publish(alice.store().audit()).orElseThrow();
            assertThat(ForkEvidence.check(a, b)).isEmpty();
        }
    }

    @Test
    void aMemberRestoredFromAnOlderBackupLearnsFromPeersThatItRolledBackAndPublishesNothing(@TempDir Path dir)
            throws Exception {
        Path backup = dir.resolve("alice.backup");
        String aliceKey;
        try (Member alice = Member.create(dir.resolve("alice")); Member bob = Member.create(dir.resolve("bob"))) {
            alice.work(2);
            alice.witness().publish(alice.store().audit());
            alice.store().backupTo(backup);
            alice.work(6);
            alice.witness().publish(alice.store().audit());
            sync(alice.log(), bob.log());
            bob.witness().witnessAll();
            aliceKey = alice.key();

            // a new machine: the backup restored with its own latest checkpoint as anchor, as `vault restore` does
            Path restoredDir = dir.resolve("restored");
            Files.createDirectories(restoredDir);
            Path file = LocalStore.vaultFile(restoredDir);
            VaultBackup.restore(backup, PASS.clone(), file);
            try (Vault v = Vault.open(file)) {
                v.auditStore().checkpoints().stream().reduce((x, y) -> y).ifPresent(CheckpointFile.beside(file)::write);
            }
            try (Member restored = Member.of(LocalStore.unlock(restoredDir, PASS.clone(), Clock.systemUTC()))) {
                assertThat(restored.key()).isEqualTo(aliceKey);
                assertThat(restored.witness().rollback(restored.store().audit())).as("before meeting a peer").isEmpty();
                sync(bob.log(), restored.log());
                assertThat(restored.witness().rollback(restored.store().audit())).hasValueSatisfying(reason ->
                        assertThat(reason).contains("restored from an older backup"));
                long before = restored.log().heads().get(aliceKey).seq();
                assertThatThrownBy(() -> restored.witness().publish(restored.store().audit()))
                        .isInstanceOf(Witness.RolledBackException.class);
                assertThat(restored.log().heads().get(aliceKey).seq()).isEqualTo(before);
                assertThat(bob.witness().report(aliceKey).witnesses()).extracting(Witness.Cosigner::member)
                        .containsExactly(bob.key()).as("bob still holds the later, witnessed checkpoint");
            }
        }
        assertThat(Arrays.asList(aliceKey)).isNotEmpty();
    }

    @Test
    void aRoundAnnouncesOnlyWhenItWroteAndWarnsOnceAboutARollback(@TempDir Path dir) throws Exception {
        try (Member alice = Member.create(dir.resolve("alice"))) {
            alice.work(2);
            AtomicInteger announced = new AtomicInteger();
            List<String> warnings = new CopyOnWriteArrayList<>();
            try (WitnessRounds rounds = WitnessRounds.start(alice.witness(), alice.store().audit(),
                    announced::incrementAndGet, Duration.ofHours(1), warnings::add)) {
                Waits.waitUntil("the first round", Duration.ofSeconds(30), () -> announced.get() == 1);
                assertThat(rounds.round()).as("nothing new").isFalse();
                assertThat(announced).hasValue(1);
                // a checkpoint the audit log does not extend, published as if by this member
                Checkpoint bigger = new Checkpoint(alice.store().audit().head().origin(), 1_000, new byte[32]);
                LogRecord last = alice.log().range(alice.key(), 1, 10).get(0);
                alice.log().append(WitnessRecords.CHECKPOINT, WitnessRecords.VERSION, WitnessRecords.checkpointBody(
                        bigger.sign(alice.store().signer()), last.seq(), 0, List.of()));
                rounds.round();
                rounds.round();
                assertThat(warnings).hasSize(1).first().asString().contains("1000 to its cooperative");
            }
        }
    }
}
