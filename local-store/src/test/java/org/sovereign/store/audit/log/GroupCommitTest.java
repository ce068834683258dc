package org.sovereign.store.audit.log;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** Group commit (ADR-0004): appends return after their commit; checkpoints are signed per batch or time window. */
class GroupCommitTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path home;

    private static char[] pass() {
        return "group commit passphrase".toCharArray();
    }

    private static long sizeOf(byte[] note) throws AuditException {
        return Checkpoint.parse(SignedNote.parse(note).text()).size();
    }

    /** The vault's audit store, noting what was committed and every checkpoint size saved. */
    private static final class Watching implements AuditStore {
        final AuditStore real;
        final AtomicLong committed = new AtomicLong();
        final List<String> violations = new CopyOnWriteArrayList<>();
        final List<Long> saved = new CopyOnWriteArrayList<>();
        final AtomicLong bufferedAppends = new AtomicLong();

        Watching(AuditStore real) {
            this.real = real;
            committed.set(real.size());
        }

        @Override
        public long size() {
            return real.size();
        }

        @Override
        public void append(List<StoredEntry> entries) {
            real.append(entries);
            committed.addAndGet(entries.size());
        }

        @Override
        public void appendBuffered(List<StoredEntry> entries) {
            real.appendBuffered(entries);
            bufferedAppends.incrementAndGet();
            committed.addAndGet(entries.size());
        }

        @Override
        public List<StoredEntry> read(long from, long to) {
            return real.read(from, to);
        }

        @Override
        public void saveCheckpoint(long size, byte[] signedNote) {
            if (size > committed.get()) {
                violations.add("checkpoint for " + size + " entries while " + committed.get() + " were committed");
            }
            saved.add(size);
            real.saveCheckpoint(size, signedNote);
        }

        @Override
        public List<byte[]> checkpoints() {
            return real.checkpoints();
        }
    }

    @Test
    void aCheckpointNeverCoversMoreThanWasCommittedAndOneSignatureCoversManyAppends() throws Exception {
        Path db = home.resolve("vault.db");
        try (Vault vault = Vault.create(db, pass(), FAST); VaultSession session = vault.unlock(pass())) {
            NoteSigner signer = session.deviceSigner();
            Watching store = new Watching(vault.auditStore());
            CheckpointFile file = CheckpointFile.beside(db);
            AuditLog log = AuditLog.open(store, file, signer.verifierKey(), clock)
                    .groupCheckpoints(signer, CheckpointPolicy.grouped(7, Duration.ofMillis(200)));
            ExecutorService writers = Executors.newFixedThreadPool(2);
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                int writer = w;
                done.add(writers.submit(() -> {
                    for (int i = 0; i < 150; i++) {
                        int n = 1 + (i % 3);
                        List<AuditEntry> batch = new ArrayList<>();
                        for (int k = 0; k < n; k++) {
                            batch.add(AuditEntry.of(AuditTypes.INFERENCE, "device:test", Map.of("w", writer + "-" + i + "-" + k)));
                        }
                        log.append(batch, signer);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            writers.shutdown();
            long appended = log.size();
            log.close();

            assertThat(appended).isEqualTo(2 * (50 * (1 + 2 + 3)));
            assertThat(store.violations).isEmpty();
            // the first append of a log without any checkpoint is committed together with its first checkpoint
            assertThat(store.bufferedAppends.get()).isEqualTo(299);
            assertThat(store.saved).isSortedAccordingTo(Long::compare).last().isEqualTo(appended);
            assertThat(store.saved.size()).as("checkpoints for 300 appends").isLessThan(300);
            assertThat(sizeOf(file.read().orElseThrow())).isEqualTo(appended);
            assertThat(AuditLog.verify(vault.auditStore(), file, signer.verifierKey()).holds()).isTrue();
        }
    }

    @Test
    void manyRecordsThenCloseLeaveACheckpointCoveringEverythingAndTheStoreReopens() throws Exception {
        long size;
        int checkpoints;
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            for (int i = 0; i < 400; i++) {
                store.record(AuditTypes.INFERENCE, Map.of("i", Integer.toString(i)));
            }
            size = store.audit().size();
        }
        try (Vault vault = Vault.open(LocalStore.vaultFile(home))) {
            checkpoints = vault.auditStore().checkpoints().size();
            assertThat(sizeOf(vault.auditStore().checkpoints().get(checkpoints - 1))).isEqualTo(size);
        }
        assertThat(checkpoints).as("signed checkpoints for 401 entries").isLessThan(200);
        byte[] file = CheckpointFile.beside(LocalStore.vaultFile(home)).read().orElseThrow();
        assertThat(sizeOf(file)).isEqualTo(size);

        AuditLog.Verification v = LocalStore.verifyAudit(home);
        assertThat(v.holds()).as(String.join("; ", v.problems())).isTrue();
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.audit().size()).isEqualTo(size + 1);
        }
    }

    @Test
    void aProofOfAJustRecordedEntryIsSignedOnDemand() throws Exception {
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            AuditEntry e = store.record(AuditTypes.INFERENCE, Map.of("n", "1"));
            byte[] proof = store.audit().proof(e.sequence()).toBytes();

            AuditEntry proven = AuditLog.verifyProofFile(proof, List.of(store.audit().logKey().encode()));
            assertThat(proven.refs()).containsEntry("n", "1");
            assertThat(store.audit().needsCheckpoint()).isFalse();
            assertThat(new String(proof, StandardCharsets.UTF_8)).contains("\n" + store.audit().size() + "\n");
        }
    }

    @Test
    void flushSignsWhatIsUncoveredAndTheFileMatchesTheDatabase() throws Exception {
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            store.record(AuditTypes.INFERENCE, Map.of("n", "1"));
            store.record(AuditTypes.INFERENCE, Map.of("n", "2"));
            SignedNote note = store.audit().flush().orElseThrow();

            assertThat(store.audit().needsCheckpoint()).isFalse();
            assertThat(Checkpoint.parse(note.text()).size()).isEqualTo(store.audit().size());
            assertThat(CheckpointFile.beside(LocalStore.vaultFile(home)).read().orElseThrow()).isEqualTo(note.toBytes());
        }
    }
}
