package org.sovereign.store.bench;

import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.merkle.MerkleVerifier;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.store.vault.crypto.KeyMaterial;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Hand-rolled benchmarks of the local store against the targets (warm-up, then measured runs; wall-clock
 * {@link System#nanoTime()}). Not a test: run with {@code ./mvnw -B -q -pl local-store -Pbench test-compile exec:exec}
 * (see docs/benchmarks.md). Arguments select benchmarks ({@code append consent unlock aead merkle sqlite1m}); none
 * means all but {@code sqlite1m}.
 */
public final class StoreBench {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private static final Clock CLOCK = Clock.systemUTC();

    private StoreBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> which = args.length == 0 ? List.of("append", "consent", "unlock", "aead", "merkle") : List.of(args);
        Path root = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "store-bench");
        System.out.printf("java %s (%s), %d cores, max heap %d MiB, tmp %s%n", System.getProperty("java.version"),
                System.getProperty("java.vm.name"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, root);
        int n = 0;
        for (String w : which) {
            Path dir = root.resolve(w + "-" + n++);
            Files.createDirectories(dir);
            switch (w) {
                case "append" -> append(dir);
                case "consent" -> consentAndRecord(dir);
                case "unlock" -> unlock(dir);
                case "aead" -> aead();
                case "merkle" -> merkle();
                case "sqlite1m" -> sqlite1m(dir);
                default -> throw new IllegalArgumentException("unknown benchmark " + w);
            }
        }
    }

    // ---------------------------------------------------------------- audit append, batched

    private static void append(Path dir) {
        try (LocalStore store = LocalStore.create(dir, pass(), FAST, CLOCK)) {
            for (int batchSize : new int[] {1_000, 10_000}) {
                int batches = batchSize == 1_000 ? 50 : 5;
                appendBatches(store, batchSize, batchSize == 1_000 ? 40 : 5); // warm-up
                long t0 = System.nanoTime();
                appendBatches(store, batchSize, batches);
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("audit append, batches of %,d via AuditLog.append: %,d entries in %.2f s = %,.0f entries/s (target >= 20,000)%n",
                        batchSize, batchSize * batches, s, batchSize * batches / s);
            }
            long[] single = new long[500];
            for (int i = 0; i < 200; i++) {
                store.record(AuditTypes.INFERENCE, Map.of("i", Integer.toString(i)));
            }
            for (int i = 0; i < single.length; i++) {
                long t = System.nanoTime();
                store.record(AuditTypes.INFERENCE, Map.of("i", Integer.toString(i)));
                single[i] = System.nanoTime() - t;
            }
            System.out.printf("audit append, single LocalStore.record: %s, = %,.0f entries/s%n", stats(single), 1e9 / mean(single));
        }
    }

    private static void appendBatches(LocalStore store, int size, int count) {
        for (int b = 0; b < count; b++) {
            List<AuditEntry> batch = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                batch.add(AuditEntry.of(AuditTypes.INFERENCE, "device:bench", Map.of("pack", "sha256:0123456789abcdef", "n", Integer.toString(i))));
            }
            store.audit().append(batch, store.signer());
        }
    }

    // ---------------------------------------------------------------- consent check + one inference audit entry

    private static void consentAndRecord(Path dir) throws Exception {
        try (LocalStore store = LocalStore.create(dir, pass(), FAST, CLOCK)) {
            for (int i = 0; i < 4; i++) { // a few other consents, one withdrawn, like a real profile
                String id = store.consent().grant(terms(dir, "other purpose " + i)).recordId();
                if (i == 0) {
                    store.consent().withdraw(id);
                }
            }
            String id = store.consent().grant(terms(dir, "private assistant")).recordId();
            ConsentRequest request = new ConsentRequest("private assistant", Operation.GENERATE, List.of(dir.resolve("notes/a.md")), null);
            int warm = 500;
            int n = 2_000;
            long[] req = new long[n];
            long[] rec = new long[n];
            long[] both = new long[n];
            long[] bothCpu = new long[n];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int i = -warm; i < n; i++) {
                long c0 = threads.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                String granted = store.consent().require(request).recordId();
                long t1 = System.nanoTime();
                store.record(AuditTypes.INFERENCE, Map.of("consent", granted, "pack", "sha256:0123456789abcdef"));
                long t2 = System.nanoTime();
                long c2 = threads.getCurrentThreadCpuTime();
                if (i >= 0) {
                    req[i] = t1 - t0;
                    rec[i] = t2 - t1;
                    both[i] = t2 - t0;
                    bothCpu[i] = c2 - c0;
                }
                if (!granted.equals(id)) {
                    throw new IllegalStateException("wrong consent");
                }
            }
            System.out.printf("consent require + record (target p99 <= 1 ms): %s%n", stats(both));
            System.out.printf("  same calls, this thread's CPU time (no waiting for a core or the disk): %s%n", stats(bothCpu));
            System.out.printf("  part ConsentService.require (5 consents):   %s%n", stats(req));
            System.out.printf("  part LocalStore.record (commit + checkpoint): %s%n", stats(rec));

            // what require() costs: it reads and re-verifies every consent's signed events on every call
            long[] hist = new long[n];
            long[] all = new long[n];
            for (int i = -warm; i < n; i++) {
                long t = System.nanoTime();
                store.consent().history(id);
                long t1 = System.nanoTime();
                store.consent().all();
                if (i >= 0) {
                    hist[i] = t1 - t;
                    all[i] = System.nanoTime() - t1;
                }
            }
            System.out.printf("  part ConsentService.history (1 consent, 1 signed event): %s%n", stats(hist));
            System.out.printf("  part ConsentService.all (5 consents, 6 signed events):   %s%n", stats(all));

            // the parts of record(): a checkpoint alone (sign + DB insert + checkpoint file), signing alone, file write alone
            long[] cp = new long[n];
            for (int i = -warm; i < n; i++) {
                long t = System.nanoTime();
                store.audit().checkpoint(store.signer());
                if (i >= 0) {
                    cp[i] = System.nanoTime() - t;
                }
            }
            Checkpoint c = new Checkpoint(store.audit().logKey().name(), 1234, new byte[32]);
            long[] sign = new long[n];
            for (int i = -warm; i < n; i++) {
                long t = System.nanoTime();
                c.sign(store.signer());
                if (i >= 0) {
                    sign[i] = System.nanoTime() - t;
                }
            }
            CheckpointFile file = new CheckpointFile(dir.resolve("bench.checkpoint"));
            byte[] note = c.sign(store.signer()).toBytes();
            long[] fw = new long[n];
            for (int i = -warm; i < n; i++) {
                long t = System.nanoTime();
                file.write(note);
                if (i >= 0) {
                    fw[i] = System.nanoTime() - t;
                }
            }
            System.out.printf("  part AuditLog.checkpoint (sign + DB commit + file): %s%n", stats(cp));
            System.out.printf("  part Ed25519 checkpoint signing alone:        %s%n", stats(sign));
            System.out.printf("  part checkpoint file write (tmp + rename):    %s%n", stats(fw));
            long[] commit = new long[n];
            for (int i = 0; i < n; i++) {
                commit[i] = Math.max(0, rec[i] - cp[i]);
            }
            System.out.printf("  => entry commit (record minus checkpoint, per-iteration difference): %s%n", stats(commit));
        }
    }

    // ---------------------------------------------------------------- unlock with the default Argon2id parameters

    private static void unlock(Path dir) {
        // what a new vault gets on this machine (ADR-0005): t calibrated from one measured pass; timed incl. the cold JIT
        long c0 = System.nanoTime();
        KdfParams defaults = Argon2idKdf.calibratedDefaults();
        long calibration = System.nanoTime() - c0;
        System.out.printf("Argon2idKdf.calibratedDefaults() = %s, chosen in %.0f ms (KdfParams.defaults() = %s)%n",
                defaults, calibration / 1e6, KdfParams.defaults());
        LocalStore.create(dir, pass(), defaults, CLOCK).close();
        int runs = 5;
        long[] u = new long[runs];
        long f0 = System.nanoTime();
        LocalStore.unlock(dir, pass(), CLOCK).close(); // warm-up
        System.out.printf("  first LocalStore.unlock in this JVM: %.0f ms%n", (System.nanoTime() - f0) / 1e6);
        for (int i = 0; i < runs; i++) {
            long t = System.nanoTime();
            LocalStore.unlock(dir, pass(), CLOCK).close();
            u[i] = System.nanoTime() - t;
        }
        byte[] salt = Argon2idKdf.newSalt(new SecureRandom());
        long[] k = new long[runs];
        long[] kc = new long[runs];
        long[] uc = new long[runs];
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Argon2idKdf.deriveKey(pass(), salt, defaults).close();
        for (int i = 0; i < runs; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long t = System.nanoTime();
            Argon2idKdf.deriveKey(pass(), salt, defaults).close();
            k[i] = System.nanoTime() - t;
            kc[i] = threads.getCurrentThreadCpuTime() - c;
        }
        for (int i = 0; i < runs; i++) {
            long c = threads.getCurrentThreadCpuTime();
            LocalStore.unlock(dir, pass(), CLOCK).close();
            uc[i] = threads.getCurrentThreadCpuTime() - c;
        }
        System.out.printf("unlock, calibrated %s (target 0.5-1.5 s):%n", defaults);
        System.out.printf("  LocalStore.unlock (+close): %s%n", msList(u));
        System.out.printf("  Argon2idKdf.deriveKey:      %s%n", msList(k));
        System.out.printf("  deriveKey, thread CPU time: %s%n", msList(kc));
        System.out.printf("  unlock, thread CPU time (the checkpointer's close-time signing runs on this thread too): %s%n", msList(uc));
    }

    // ---------------------------------------------------------------- AES-256-GCM

    private static void aead() {
        SecureRandom random = new SecureRandom();
        Aead aead = new Aead(random);
        byte[] plain = new byte[1 << 20];
        random.nextBytes(plain);
        byte[] ad = "bench".getBytes();
        try (KeyMaterial key = KeyMaterial.random(random)) {
            byte[] sealed = null;
            for (int i = 0; i < 1_500; i++) { // warm-up (C2 compiles the GCM intrinsics)
                sealed = aead.seal(key, plain, ad);
                aead.open(key, sealed, ad);
            }
            int n = 500;
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                sealed = aead.seal(key, plain, ad);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                byte[] back = aead.open(key, sealed, ad);
                if (back.length != plain.length) {
                    throw new IllegalStateException();
                }
            }
            long t2 = System.nanoTime();
            double mb = n * (double) plain.length / 1e6;
            System.out.printf("AEAD AES-256-GCM on 1 MiB (target >= 500 MB/s): seal %,.0f MB/s, open %,.0f MB/s (%d x 1 MiB each)%n",
                    mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9), n);
        }
    }

    // ---------------------------------------------------------------- inclusion proofs on 1,000,000 entries

    private static void merkle() throws Exception {
        int size = 1_000_000;
        MerkleTree tree = new MerkleTree();
        ByteBuffer buf = ByteBuffer.allocate(8);
        long t0 = System.nanoTime();
        for (long i = 0; i < size; i++) {
            buf.clear();
            tree.appendEntry(buf.putLong(i).array());
        }
        long build = System.nanoTime() - t0;
        byte[] root = tree.rootHash();
        Random random = new Random(1);
        int warm = 20_000;
        int n = 20_000;
        long[] proof = new long[n];
        long[] verify = new long[n];
        for (int i = -warm; i < n; i++) {
            long index = random.nextInt(size);
            long t = System.nanoTime();
            List<byte[]> p = tree.inclusionProof(index, size);
            long t1 = System.nanoTime();
            buf.clear();
            MerkleVerifier.verifyInclusion(index, size, MerkleHash.leaf(buf.putLong(index).array()), p, root);
            long t2 = System.nanoTime();
            if (i >= 0) {
                proof[i] = t1 - t;
                verify[i] = t2 - t1;
            }
        }
        System.out.printf("Merkle in memory, 1,000,000 leaves (built in %.2f s); target proof <= 5 ms:%n", build / 1e9);
        System.out.printf("  MerkleTree.inclusionProof: %s%n", stats(proof));
        System.out.printf("  MerkleVerifier.verifyInclusion: %s%n", stats(verify));
    }

    private static void sqlite1m(Path dir) throws Exception {
        int size = 1_000_000;
        try (LocalStore store = LocalStore.create(dir, pass(), FAST, CLOCK)) {
            long t0 = System.nanoTime();
            while (store.audit().size() < size) {
                appendBatches(store, (int) Math.min(10_000, size - store.audit().size()), 1);
            }
            System.out.printf("SQLite-backed log: appended %,d entries in %.1f s%n", store.audit().size(), (System.nanoTime() - t0) / 1e9);
        }
        long t1 = System.nanoTime();
        try (LocalStore store = LocalStore.unlock(dir, pass(), CLOCK)) {
            System.out.printf("  unlock of the %,d-entry log (re-verifies every entry and checkpoint): %.1f s%n",
                    store.audit().size(), (System.nanoTime() - t1) / 1e9);
            long size2 = store.audit().size();
            List<String> keys = List.of(store.audit().logKey().encode());
            Random random = new Random(2);
            int n = 2_000;
            long[] proof = new long[n];
            long[] verify = new long[n];
            for (int i = -500; i < n; i++) {
                long seq = (long) (random.nextDouble() * size2);
                long t = System.nanoTime();
                byte[] file = store.audit().proof(seq).toBytes();
                long tp = System.nanoTime();
                AuditEntry e = AuditLog.verifyProofFile(file, keys);
                long tv = System.nanoTime();
                if (e.sequence() != seq) {
                    throw new IllegalStateException("proof of " + seq + " gave " + e.sequence());
                }
                if (i >= 0) {
                    proof[i] = tp - t;
                    verify[i] = tv - tp;
                }
            }
            System.out.printf("  AuditLog.proof (tree + entry read from SQLite + tlog-proof file): %s%n", stats(proof));
            System.out.printf("  AuditLog.verifyProofFile (offline, with signature check): %s%n", stats(verify));
        }
        // where AuditLog.proof's time goes: VaultAuditStore.read pages with LIMIT/OFFSET, which SQLite answers by
        // stepping over OFFSET rows; a lookup by the primary key (seq is the rowid) is a B-tree search
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(dir));
             PreparedStatement byOffset = c.prepareStatement("SELECT seq, leaf_hash, entry FROM audit_entry ORDER BY rowid LIMIT 1 OFFSET ?");
             PreparedStatement byKey = c.prepareStatement("SELECT seq, leaf_hash, entry FROM audit_entry WHERE seq = ?")) {
            Random random = new Random(3);
            int n = 1_000;
            long[] off = new long[n];
            long[] key = new long[n];
            for (int i = -200; i < n; i++) {
                long seq = (long) (random.nextDouble() * size);
                long t = System.nanoTime();
                byOffset.setLong(1, seq);
                try (ResultSet rs = byOffset.executeQuery()) {
                    rs.next();
                    rs.getBytes(3);
                }
                long tk = System.nanoTime();
                byKey.setLong(1, seq);
                try (ResultSet rs = byKey.executeQuery()) {
                    rs.next();
                    rs.getBytes(3);
                }
                if (i >= 0) {
                    off[i] = tk - t;
                    key[i] = System.nanoTime() - tk;
                }
            }
            System.out.printf("  one-row read, LIMIT 1 OFFSET seq (as VaultAuditStore.read): %s%n", stats(off));
            System.out.printf("  one-row read, WHERE seq = ? (primary key):                 %s%n", stats(key));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static char[] pass() {
        return "correct horse battery staple".toCharArray();
    }

    private static ConsentTerms terms(Path dir, String purpose) {
        Instant now = CLOCK.instant();
        return new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation", List.of(purpose),
                List.of("dpv-pd:Document"), List.of(dir.resolve("notes").toAbsolutePath().toString()), List.of(),
                EnumSet.of(Operation.INDEX, Operation.GENERATE), "EU", "P1Y", now.minusSeconds(1), now.plus(Duration.ofDays(30)),
                "Withdraw on the Consent screen", "Your notes will be indexed and used to answer your questions on this computer.", "en");
    }

    private static double mean(long[] ns) {
        return Arrays.stream(ns).average().orElse(0);
    }

    private static String stats(long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        return String.format("n=%d p50 %.3f ms, p99 %.3f ms, max %.3f ms, mean %.3f ms", s.length, s[s.length / 2] / 1e6,
                s[(int) Math.ceil(s.length * 0.99) - 1] / 1e6, s[s.length - 1] / 1e6, mean(s) / 1e6);
    }

    private static String msList(long[] ns) {
        StringBuilder b = new StringBuilder();
        for (long v : ns) {
            b.append(String.format("%.0f ", v / 1e6));
        }
        long[] s = ns.clone();
        Arrays.sort(s);
        return b.append(String.format("ms (median %.0f ms)", s[s.length / 2] / 1e6)).toString();
    }
}
