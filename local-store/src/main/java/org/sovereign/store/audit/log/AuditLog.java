package org.sovereign.store.audit.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.checkpoint.MalformedTlogProofException;
import org.sovereign.store.audit.checkpoint.OfflineProofVerifier;
import org.sovereign.store.audit.checkpoint.TlogProof;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.audit.note.VerifierKey;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The workstation's tamper-evident audit log: entries stored in the vault file, an RFC 9162 Merkle tree over them, and
 * a C2SP checkpoint signed with the device key after every batch of appends (kept in the database and, the latest
 * one, in a file beside it). Opening the log re-derives every leaf hash and root and checks them against every signed
 * checkpoint, so a changed, removed, reordered or rolled-back entry is found.
 *
 * <p>By default a checkpoint is signed before every append returns. {@link #groupCheckpoints} switches to group commit
 * (ADR-0004): appends return once their entries are committed, and a background checkpointer signs per batch or time
 * window ({@link CheckpointPolicy}); {@link #flush()}, {@link #proof} and {@link #close()} sign at once.
 *
 * <p>Thread-safe: appends and checkpoints are serialised by this object's lock.
 */
public final class AuditLog implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);

    private final AuditStore store;
    private final CheckpointFile file;
    private final VerifierKey logKey;
    private final NoteVerifier verifier;
    private final Clock clock;
    private final MerkleTree tree = new MerkleTree();
    private SignedNote latest;
    private long latestSize;
    /** Group commit (null: sign on every append). */
    private CheckpointPolicy policy = CheckpointPolicy.EVERY_APPEND;
    private NoteSigner groupSigner;
    private ScheduledExecutorService checkpointer;
    private ScheduledFuture<?> scheduled;
    private boolean scheduledNow;
    private boolean closed;

    private AuditLog(AuditStore store, CheckpointFile file, VerifierKey logKey, Clock clock) {
        this.store = store;
        this.file = file;
        this.logKey = logKey;
        this.verifier = NoteVerifier.of(logKey);
        this.clock = clock;
    }

    /** The result of checking the log against its signed checkpoints. */
    public record Verification(long size, List<String> problems, boolean rolledBack) {
        public boolean holds() {
            return problems.isEmpty();
        }
    }

    /**
     * Opens the log and verifies all of it.
     *
     * @param logKey the device's verifier key; its name is the log's origin
     * @throws AuditTamperedException naming the first problem found
     */
    public static AuditLog open(AuditStore store, CheckpointFile file, VerifierKey logKey, Clock clock) {
        return open(store, file, logKey, clock, Optional.empty());
    }

    /**
     * Opens the log and verifies all of it, also against the vault's authenticated record of its latest checkpoint
     * ({@code anchor}, read with the master key): a log shorter than the record, with another root at the recorded
     * size, or without the recorded checkpoint is refused, even if every signed checkpoint and the checkpoint file
     * were deleted or replaced by older ones.
     *
     * @throws AuditTamperedException naming the first problem found
     */
    public static AuditLog open(AuditStore store, CheckpointFile file, VerifierKey logKey, Clock clock,
                                Optional<AuditAnchor> anchor) {
        AuditLog log = new AuditLog(store, file, logKey, clock);
        Verification v = log.load(true, anchor);
        if (!v.holds()) {
            throw new AuditTamperedException(v.problems().get(0));
        }
        return log;
    }

    /**
     * Checks a log without opening it for writing: everything {@link #open} checks, all problems listed.
     * Needs only the public verifier key.
     */
    public static Verification verify(AuditStore store, CheckpointFile file, VerifierKey logKey) {
        return verify(store, file, logKey, Optional.empty());
    }

    /** {@link #verify(AuditStore, CheckpointFile, VerifierKey)} plus the checks against the vault's anchor. */
    public static Verification verify(AuditStore store, CheckpointFile file, VerifierKey logKey, Optional<AuditAnchor> anchor) {
        return new AuditLog(store, file, logKey, Clock.systemUTC()).load(true, anchor);
    }

    /**
     * Verifies the stored log afresh (as {@link #verify} does) while holding this log's lock, so no append or
     * checkpoint of this log runs in between: for checking a log that this process has open.
     */
    public synchronized Verification verifyStored(Optional<AuditAnchor> anchor) {
        return new AuditLog(store, file, logKey, clock).load(true, anchor);
    }

    /**
     * After the person chose to restore an older backup: accepts that the database is behind the checkpoint file,
     * provided everything else verifies, and records that choice as an entry naming the abandoned checkpoint.
     *
     * @throws AuditTamperedException if anything but the rollback is wrong
     */
    public static AuditLog reanchorAfterRestore(AuditStore store, CheckpointFile file, NoteSigner signer, Clock clock)
            throws AuditException {
        VerifierKey key = signer.verifierKey();
        AuditLog log = new AuditLog(store, file, key, clock);
        Verification v = log.load(false, Optional.empty());
        if (!v.holds()) {
            throw new AuditTamperedException(v.problems().get(0));
        }
        Map<String, String> refs = new HashMap<>();
        file.read().ifPresent(old -> refs.put("abandonedCheckpointSha256", sha256Hex(old)));
        refs.put("restoredSize", Long.toString(log.size()));
        log.append(List.of(AuditEntry.of(AuditTypes.LOG_REANCHORED, "user", refs)), signer);
        return log;
    }

    public synchronized long size() {
        return tree.size();
    }

    public VerifierKey logKey() {
        return logKey;
    }

    /** The current tree head (origin, size and root of every entry held), unsigned: what a checkpoint now would say. */
    public synchronized Checkpoint head() {
        return new Checkpoint(logKey.name(), tree.size(), tree.rootHash());
    }

    /**
     * The RFC 9162 consistency proof from the tree of the first {@code size1} entries to that of the first
     * {@code size2}; what a witness needs to accept a later checkpoint of this log.
     *
     * @throws IllegalArgumentException unless {@code 0 <= size1 <= size2 <= size()}
     */
    public synchronized List<byte[]> consistencyProof(long size1, long size2) {
        if (size2 > tree.size()) {
            throw new IllegalArgumentException("The log holds " + tree.size() + " entries, not " + size2 + ".");
        }
        return tree.consistencyProof(size1, size2);
    }

    /** True when entries exist that no checkpoint covers yet (after a crash between commit and signing). */
    public synchronized boolean needsCheckpoint() {
        return tree.size() > latestSize;
    }

    /** The latest signed checkpoint, if any was made. */
    public synchronized Optional<SignedNote> latestCheckpoint() {
        return Optional.ofNullable(latest);
    }

    /**
     * Appends entries in one transaction; when this returns the entries are durable. Then signs and stores a checkpoint
     * of the new tree, or, under group commit ({@link #groupCheckpoints}), leaves that to the checkpointer. Returns the
     * entries with their sequence numbers and times.
     */
    public synchronized List<AuditEntry> append(List<AuditEntry> entries, NoteSigner signer) {
        if (entries.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        long next = tree.size();
        List<AuditEntry> stamped = new ArrayList<>(entries.size());
        List<AuditStore.StoredEntry> rows = new ArrayList<>(entries.size());
        for (AuditEntry e : entries) {
            AuditEntry s = e.at(next++, now);
            byte[] bytes = s.toBytes();
            stamped.add(s);
            rows.add(new AuditStore.StoredEntry(s.sequence(), MerkleHash.leaf(bytes), bytes));
        }
        if (latest == null && signer != null) {
            return firstCheckpointWith(rows, stamped, signer);
        }
        if (groupSigner == null) {
            store.append(rows);
        } else {
            store.appendBuffered(rows); // survives a process crash; the next checkpoint's synced commit makes it durable
        }
        rows.forEach(r -> tree.appendLeafHash(r.leafHash()));
        if (groupSigner == null) {
            checkpoint(signer);
        } else {
            scheduleCheckpoint();
        }
        return stamped;
    }

    /**
     * Switches this log to group commit: from now on appends return once their entries are committed (durable), and
     * checkpoints are signed with {@code signer} by a background checkpointer as {@code policy} says, or at once by
     * {@link #flush()}, {@link #proof} and {@link #close()}. Call {@link #close()} when done, before the signer stops
     * working (for the device key: before the vault session locks).
     */
    public synchronized AuditLog groupCheckpoints(NoteSigner signer, CheckpointPolicy policy) {
        if (policy.everyAppend()) {
            this.policy = policy;
            this.groupSigner = null;
            return this;
        }
        if (closed) {
            throw new IllegalStateException("The audit log has been closed.");
        }
        this.policy = policy;
        this.groupSigner = Objects.requireNonNull(signer, "signer");
        if (checkpointer == null) {
            checkpointer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "audit-checkpointer");
                t.setDaemon(true);
                return t;
            });
        }
        if (needsCheckpoint()) {
            scheduleCheckpoint();
        }
        return this;
    }

    /** Under the lock: makes sure a background checkpoint is due soon enough for the current backlog. */
    private void scheduleCheckpoint() {
        if (closed || checkpointer == null) {
            return;
        }
        boolean full = tree.size() - latestSize >= policy.maxEntries();
        if (scheduled != null && (scheduledNow || !full)) {
            return; // already due soon enough
        }
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        scheduledNow = full;
        scheduled = checkpointer.schedule(this::backgroundCheckpoint, full ? 0 : policy.maxDelay().toNanos(),
                TimeUnit.NANOSECONDS);
    }

    private void backgroundCheckpoint() {
        synchronized (this) {
            scheduled = null;
            scheduledNow = false;
            if (closed || groupSigner == null || !needsCheckpoint()) {
                return;
            }
            try {
                checkpoint(groupSigner);
            } catch (RuntimeException e) {
                // the entries stay durable; the next append, flush or close tries again
                LOG.warn("A background audit checkpoint failed ({} entries uncovered): {}", tree.size() - latestSize, e.getMessage());
            }
        }
    }

    /**
     * Signs a checkpoint now if any entry is not covered yet (group commit). Returns the latest checkpoint.
     *
     * @throws IllegalStateException if entries are uncovered and the log has no group signer
     */
    public synchronized Optional<SignedNote> flush() {
        if (needsCheckpoint()) {
            if (groupSigner == null) {
                throw new IllegalStateException("The audit log has uncovered entries and no signer to checkpoint them.");
            }
            checkpoint(groupSigner);
        }
        return Optional.ofNullable(latest);
    }

    /**
     * Stops the background checkpointer and signs a last checkpoint if entries are uncovered. Idempotent. The log can
     * still be read afterwards; appends sign their own checkpoint again.
     */
    @Override
    public void close() {
        ScheduledExecutorService executor;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            executor = checkpointer;
            checkpointer = null;
            if (scheduled != null) {
                scheduled.cancel(false);
                scheduled = null;
            }
        }
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            NoteSigner signer = groupSigner;
            groupSigner = null;
            policy = CheckpointPolicy.EVERY_APPEND;
            if (signer != null && needsCheckpoint()) {
                checkpoint(signer);
            }
        }
    }

    /**
     * The log has no signed checkpoint yet: commits the entries together with a checkpoint covering them, so entries
     * without any checkpoint never exist on disk (that state is reported as deleted checkpoints).
     */
    private List<AuditEntry> firstCheckpointWith(List<AuditStore.StoredEntry> rows, List<AuditEntry> stamped, NoteSigner signer) {
        MerkleTree next = new MerkleTree();
        for (long i = 0; i < tree.size(); i++) {
            next.appendLeafHash(tree.leafHash(i));
        }
        rows.forEach(r -> next.appendLeafHash(r.leafHash()));
        Checkpoint cp = new Checkpoint(logKey.name(), next.size(), next.rootHash());
        SignedNote note;
        try {
            note = cp.sign(signer);
        } catch (AuditException | GeneralSecurityException e) {
            throw new IllegalStateException("The audit checkpoint could not be signed", e);
        }
        byte[] bytes = note.toBytes();
        store.appendWithCheckpoint(rows, cp.size(), bytes);
        rows.forEach(r -> tree.appendLeafHash(r.leafHash()));
        latest = note;
        latestSize = cp.size();
        file.write(bytes);
        return stamped;
    }

    public AuditEntry append(AuditEntry entry, NoteSigner signer) {
        return append(List.of(entry), signer).get(0);
    }

    /**
     * Appends one entry in the same database transaction as {@code effect}, a change to the same store (for example
     * erasing a scope): both commit, durably, or neither does, so no crash leaves the effect without its entry or the
     * entry without its effect. If {@code effect} throws, nothing is written and the exception propagates. Then
     * checkpoints as {@link #append(List, NoteSigner)} does. The effect runs while this log is locked: keep it short,
     * and never make it append to this log.
     */
    public synchronized AuditEntry appendWith(AuditEntry entry, NoteSigner signer, Runnable effect) {
        if (latest == null && signer != null) {
            checkpoint(signer); // a log always has its first checkpoint (the vault's creation) before any effect
        }
        AuditEntry stamped = entry.at(tree.size(), clock.instant());
        byte[] bytes = stamped.toBytes();
        AuditStore.StoredEntry row = new AuditStore.StoredEntry(stamped.sequence(), MerkleHash.leaf(bytes), bytes);
        store.appendWith(List.of(row), effect);
        tree.appendLeafHash(row.leafHash());
        if (groupSigner == null) {
            checkpoint(signer);
        } else {
            scheduleCheckpoint();
        }
        return stamped;
    }

    /**
     * Signs the current size and root, saves the note in the database (a synced commit) and then in the checkpoint
     * file (fsynced), so the file never claims more than the database holds durably.
     */
    public synchronized SignedNote checkpoint(NoteSigner signer) {
        if (scheduled != null) {
            scheduled.cancel(false);
            scheduled = null;
            scheduledNow = false;
        }
        // every entry counted here was committed by store.append before the tree grew, so a checkpoint never claims
        // more entries than the database holds durably
        Checkpoint cp = new Checkpoint(logKey.name(), tree.size(), tree.rootHash());
        try {
            SignedNote note = cp.sign(signer);
            byte[] bytes = note.toBytes();
            store.saveCheckpoint(cp.size(), bytes);
            file.write(bytes);
            latest = note;
            latestSize = cp.size();
            return note;
        } catch (AuditException | GeneralSecurityException e) {
            throw new IllegalStateException("The audit checkpoint could not be signed", e);
        }
    }

    /** Entries with {@code from <= sequence < to}. */
    public List<AuditEntry> entries(long from, long to) {
        return store.read(from, Math.min(to, size())).stream().map(r -> AuditEntry.parse(r.entry())).toList();
    }

    /**
     * An offline proof file (C2SP tlog-proof) that entry {@code sequence} is in the log, against the latest checkpoint
     * (under group commit, a checkpoint of the whole log is signed first if any entry is uncovered).
     * The entry's bytes travel in the file's {@code extra} field, so the file is self-contained; a verifier trusts
     * them only because their leaf hash is proven included ({@link #verifyProofFile}).
     */
    public synchronized TlogProof proof(long sequence) {
        if (sequence < 0 || sequence >= tree.size()) {
            throw new IllegalArgumentException("There is no audit entry " + sequence + "; the log has " + tree.size() + " entries.");
        }
        if (groupSigner != null && needsCheckpoint()) {
            checkpoint(groupSigner); // group commit: prove against the whole log as it stands
        }
        if (latest == null || sequence >= latestSize) {
            throw new IllegalStateException("Entry " + sequence + " is not covered by a checkpoint yet.");
        }
        try {
            byte[] entry = store.read(sequence, sequence + 1).get(0).entry();
            return TlogProof.create(tree, sequence, latest, entry);
        } catch (AuditException e) {
            throw new IllegalStateException("The latest checkpoint does not verify", e);
        }
    }

    /**
     * Verifies a proof file made by {@link #proof}: the entry carried in it is included in a checkpoint signed by one of
     * {@code verifierKeys}. Needs no vault.
     *
     * @return the entry, now proven
     * @throws AuditException if the file is malformed, the proof fails or no trusted key signed the checkpoint
     */
    public static AuditEntry verifyProofFile(byte[] proofFile, List<String> verifierKeys) throws AuditException {
        TlogProof proof = TlogProof.parse(proofFile);
        if (proof.extra() == null) {
            throw new MalformedTlogProofException("The proof file does not carry its entry.");
        }
        OfflineProofVerifier.verifyEntry(proofFile, proof.extra(), verifierKeys);
        AuditEntry entry = AuditEntry.parse(proof.extra());
        if (entry.sequence() != proof.index()) {
            throw new MalformedTlogProofException(
                    "The entry in the proof file claims position " + entry.sequence() + " but is proven at " + proof.index() + ".");
        }
        return entry;
    }

    /** Rebuilds the tree from storage and checks it; with {@code checkFileSize} a database behind the file is a problem. */
    private Verification load(boolean checkFileSize, Optional<AuditAnchor> anchor) {
        List<String> problems = new ArrayList<>();
        long stored = store.size();
        final int batch = 4096;
        for (long from = 0; from < stored && problems.isEmpty(); from += batch) {
            for (AuditStore.StoredEntry row : store.read(from, Math.min(stored, from + batch))) {
                long expected = tree.size();
                if (row.sequence() != expected) {
                    problems.add("Audit entry " + expected + " is missing (found " + row.sequence() + " in its place): entries were removed or reordered.");
                    break;
                }
                byte[] leaf = MerkleHash.leaf(row.entry());
                if (!MerkleHash.equal(leaf, row.leafHash())) {
                    problems.add("Audit entry " + expected + " was changed after it was written.");
                    break;
                }
                try {
                    if (AuditEntry.parse(row.entry()).sequence() != expected) {
                        problems.add("Audit entry " + expected + " carries another sequence number: entries were reordered.");
                        break;
                    }
                } catch (IllegalArgumentException e) {
                    problems.add("Audit entry " + expected + " is not a valid entry.");
                    break;
                }
                tree.appendLeafHash(leaf);
            }
        }
        boolean entriesIntact = problems.isEmpty();
        boolean rolledBack = false;
        Map<Long, String> rootBySize = new HashMap<>();
        for (byte[] note : store.checkpoints()) {
            checkNote(note, "A checkpoint in the database", problems, rootBySize, entriesIntact);
        }
        Optional<byte[]> fromFile = file.read();
        if (fromFile.isPresent()) {
            Optional<Checkpoint> cp = checkNote(fromFile.get(), "The checkpoint file " + file.path(), problems, rootBySize, entriesIntact);
            if (entriesIntact && cp.isPresent() && cp.get().size() > tree.size()) {
                rolledBack = true;
                if (checkFileSize) {
                    problems.add("The audit log has " + tree.size() + " entries but its last checkpoint covers " + cp.get().size()
                            + ": the database was truncated or an older copy of it was restored.");
                }
            }
        } else if (tree.size() > 0 && !store.checkpoints().isEmpty()) {
            problems.add("The checkpoint file " + file.path() + " is missing.");
        }
        if (anchor.isPresent() && entriesIntact) {
            anchorProblem(anchor.get(), rootBySize).ifPresent(p -> problems.add(0, p)); // the most telling problem first
        }
        if (tree.size() > 0 && store.checkpoints().isEmpty()) {
            // the first entries are committed together with their first checkpoint (firstCheckpointWith), so this
            // state is never left behind by a crash
            problems.add("The audit log has " + tree.size() + " entries but no signed checkpoint: its checkpoints were deleted.");
        }
        if (problems.isEmpty()) {
            store.checkpoints().stream().reduce((a, b) -> b).ifPresent(n -> {
                try {
                    latest = SignedNote.parse(n);
                    latestSize = Checkpoint.parse(latest.text()).size();
                } catch (AuditException e) {
                    latest = null; // cannot happen: every stored checkpoint was verified above
                }
            });
        }
        return new Verification(tree.size(), List.copyOf(problems), rolledBack);
    }

    /** Compares the intact log and its checkpoints with the vault's authenticated record of the latest checkpoint. */
    private Optional<String> anchorProblem(AuditAnchor anchor, Map<Long, String> rootBySize) {
        if (anchor.size() == 0) {
            return Optional.empty();
        }
        if (tree.size() < anchor.size()) {
            return Optional.of("The audit log has " + tree.size() + " entries but the vault's own record says " + anchor.size()
                    + " were signed: entries were removed or an older log was put back.");
        }
        if (!MerkleHash.equal(tree.rootHash(anchor.size()), anchor.rootHash())) {
            return Optional.of("The first " + anchor.size() + " audit entries do not match the vault's own record of"
                    + " what was signed: the log was rewritten.");
        }
        String signed = rootBySize.get(anchor.size());
        if (signed == null || !signed.equals(HexFormat.of().formatHex(anchor.rootHash()))) {
            return Optional.of("The signed checkpoint of " + anchor.size() + " entries that the vault's own record names"
                    + " is missing: checkpoints were deleted.");
        }
        return Optional.empty();
    }

    /** Checks a checkpoint's signature and origin, forks, and (when the entries are intact) its root. */
    private Optional<Checkpoint> checkNote(byte[] note, String what, List<String> problems, Map<Long, String> rootBySize,
                                           boolean entriesIntact) {
        Checkpoint cp;
        try {
            cp = Checkpoint.open(note, verifier);
        } catch (AuditException e) {
            problems.add(what + " is not signed by this device's key (" + e.getMessage() + ").");
            return Optional.empty();
        }
        if (!cp.origin().equals(logKey.name())) {
            problems.add(what + " belongs to another log (" + cp.origin() + ").");
            return Optional.empty();
        }
        String root = HexFormat.of().formatHex(cp.rootHash());
        String earlier = rootBySize.putIfAbsent(cp.size(), root);
        if (earlier != null && !earlier.equals(root)) {
            problems.add("Two different checkpoints were signed for size " + cp.size() + ": the log was forked.");
        }
        if (entriesIntact && cp.size() <= tree.size() && !MerkleHash.equal(tree.rootHash(cp.size()), cp.rootHash())) {
            problems.add(what + " (size " + cp.size() + ") does not match the entries: the log was rewritten.");
        }
        return Optional.of(cp);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
