package org.sovereign.mesh.witness;

import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.witness.WitnessRecords.PublishedCheckpoint;
import org.sovereign.mesh.witness.WitnessRecords.PublishedCosignature;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.checkpoint.MalformedCheckpointException;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.merkle.InvalidProofException;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.vault.crypto.Hex;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One member's side of audit witnessing over its mesh log: publishing its own checkpoints, cosigning the other
 * members', and reading who witnessed what. Everything is computed from the records in the log, so it survives
 * restarts and every member reaches the same view from the same records. Thread-safe.
 */
public final class Witness {
    private static final int PAGE = 1_000;

    private final MeshLog log;
    private final RecordSigner self;
    private final String name;
    private final Clock clock;

    /**
     * @param log   this member's view of the cooperative's logs
     * @param self  this member's key (the log's own key)
     * @param name  the key name written in this member's cosignatures
     * @param clock the clock of the cosignature timestamps
     */
    public Witness(MeshLog log, RecordSigner self, String name, Clock clock) {
        this.log = Objects.requireNonNull(log, "log");
        this.self = Objects.requireNonNull(self, "self");
        this.name = Objects.requireNonNull(name, "name");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!Hex.encode(self.publicKey()).equals(log.self())) {
            throw new IllegalArgumentException("The witness key must be the log's own key.");
        }
    }

    /** The heads of every log held now: when they and the audit log are unchanged, a round has nothing to do. */
    public Map<String, LogHead> heads() {
        return log.heads();
    }

    /** What one {@link #witnessAll()} did. */
    public record Outcome(int cosigned, int forksRecorded) {
    }

    /** Who cosigned a checkpoint and when (seconds since the epoch, the witness's own clock). */
    public record Cosigner(String member, String name, long time) {
    }

    /**
     * The state of one member's audit log as the cooperative sees it.
     *
     * @param latest    the member's latest published checkpoint, if any
     * @param witnesses valid cosignatures of exactly that checkpoint by other members, one per member
     * @param forks     verified evidence that the log forked or shrank (the reasons)
     */
    public record Report(Optional<PublishedCheckpoint> latest, List<Cosigner> witnesses, List<String> forks) {
        public Report {
            witnesses = List.copyOf(witnesses);
            forks = List.copyOf(forks);
        }
    }

    /** Thrown when this member's audit log no longer extends the checkpoint it published (a restore or a rollback). */
    public static final class RolledBackException extends IllegalStateException {
        RolledBackException(String message) {
            super(message);
        }
    }

    /**
     * Publishes this member's latest signed audit checkpoint when it differs from the last one published, with the
     * consistency proof from that one. Returns the record written, or empty when there was nothing new.
     *
     * @throws RolledBackException when the audit log does not extend the checkpoint published before (nothing is
     *                             written: publishing would sign a fork)
     */
    public synchronized Optional<LogRecord> publish(AuditLog audit) {
        Optional<SignedNote> note = audit.latestCheckpoint();
        if (note.isEmpty()) {
            return Optional.empty();
        }
        Checkpoint current;
        try {
            current = Checkpoint.parse(note.get().text());
        } catch (MalformedCheckpointException e) {
            throw new IllegalStateException("The audit log's own checkpoint cannot be read", e);
        }
        Optional<PublishedCheckpoint> previous = latestPublished(log.self());
        long previousRecord = 0;
        long previousSize = 0;
        List<byte[]> proof = List.of();
        if (previous.isPresent()) {
            Checkpoint published = previous.get().checkpoint();
            Optional<String> problem = extends_(published, audit);
            if (problem.isPresent()) {
                throw new RolledBackException(problem.get());
            }
            if (published.size() == current.size()) {
                return Optional.empty();
            }
            previousRecord = previous.get().record().seq();
            previousSize = published.size();
            proof = audit.consistencyProof(previousSize, current.size());
        }
        return Optional.of(log.append(WitnessRecords.CHECKPOINT, WitnessRecords.VERSION,
                WitnessRecords.checkpointBody(note.get(), previousRecord, previousSize, proof)));
    }

    /**
     * Why this member's audit log does not extend the checkpoint it last published (for example after its vault was
     * restored from an older backup and its own records came back from peers), or empty when it does or nothing was
     * published.
     */
    public synchronized Optional<String> rollback(AuditLog audit) {
        return latestPublished(log.self()).flatMap(p -> extends_(p.checkpoint(), audit));
    }

    private static Optional<String> extends_(Checkpoint published, AuditLog audit) {
        Checkpoint head = audit.head();
        if (head.size() < published.size()) {
            return Optional.of("The audit log holds " + head.size() + " entries, but this workstation published a "
                    + "checkpoint of " + published.size() + " to its cooperative: entries were removed or the vault was "
                    + "restored from an older backup.");
        }
        try {
            published.verifyConsistentWith(head, audit.consistencyProof(published.size(), head.size()));
            return Optional.empty();
        } catch (InvalidProofException e) {
            return Optional.of("The audit log does not extend the checkpoint of " + published.size()
                    + " entries this workstation published to its cooperative: its entries were changed.");
        }
    }

    /**
     * Walks every other member's published checkpoints, cosigns each log's latest one that extends all before it
     * (once), and records evidence for a log whose checkpoints fork or shrink (once per log; such a log is not cosigned
     * again). Frozen members are skipped.
     */
    public synchronized Outcome witnessAll() {
        Set<String> cosigned = new HashSet<>();
        Set<String> forked = new HashSet<>();
        for (LogRecord own : records(log.self())) {
            if (WitnessRecords.COSIGNATURE.equals(own.type())) {
                try {
                    PublishedCosignature c = WitnessRecords.readCosignature(own);
                    cosigned.add(c.log() + ":" + c.checkpointRecord());
                } catch (MalformedRecordException ignored) {
                    // our own older or foreign-format record: nothing to remember
                }
            } else if (WitnessRecords.FORK.equals(own.type()) && own.body().path("log").isTextual()) {
                forked.add(own.body().get("log").asText());
            }
        }
        Set<String> frozen = log.frozen().keySet();
        int cosignatures = 0;
        int forks = 0;
        for (String author : log.heads().keySet()) {
            if (author.equals(log.self()) || frozen.contains(author) || forked.contains(author)) {
                continue;
            }
            PublishedCheckpoint latest = null;
            boolean broken = false;
            for (PublishedCheckpoint cp : checkpoints(author)) {
                if (latest != null) {
                    if (cp.previousRecord() != latest.record().seq()) {
                        broken = true; // it does not name its predecessor: nothing after it is cosigned
                        break;
                    }
                    Optional<String> fork = ForkEvidence.inconsistency(latest, cp);
                    if (fork.isPresent()) {
                        log.append(WitnessRecords.FORK, WitnessRecords.VERSION,
                                WitnessRecords.forkBody(author, latest.record(), cp.record()));
                        forks++;
                        broken = true;
                        break;
                    }
                }
                latest = cp;
            }
            if (broken || latest == null || cosigned.contains(author + ":" + latest.record().seq())) {
                continue;
            }
            long now = clock.instant().getEpochSecond();
            log.append(WitnessRecords.COSIGNATURE, WitnessRecords.VERSION, WitnessRecords.cosignatureBody(author,
                    latest.record().seq(), latest.checkpoint(), Cosignatures.cosign(latest.checkpoint(), now, name, self)));
            cosignatures++;
        }
        return new Outcome(cosignatures, forks);
    }

    /** What the cooperative's records say about {@code author}'s audit log (any member's, including this one's). */
    public synchronized Report report(String author) {
        Optional<PublishedCheckpoint> latest = latestPublished(author);
        Map<String, Cosigner> witnesses = new LinkedHashMap<>();
        List<String> forks = new ArrayList<>();
        for (String member : log.heads().keySet()) {
            for (LogRecord r : records(member)) {
                if (WitnessRecords.COSIGNATURE.equals(r.type()) && latest.isPresent() && !member.equals(author)) {
                    cosigner(r, author, latest.get()).ifPresent(c -> witnesses.merge(member, c,
                            (a, b) -> a.time() >= b.time() ? a : b));
                } else if (WitnessRecords.FORK.equals(r.type()) && author.equals(r.body().path("log").asText())) {
                    evidence(r).ifPresent(forks::add);
                }
            }
        }
        return new Report(latest, new ArrayList<>(witnesses.values()), forks);
    }

    private static Optional<Cosigner> cosigner(LogRecord r, String author, PublishedCheckpoint latest) {
        try {
            PublishedCosignature c = WitnessRecords.readCosignature(r);
            if (!c.log().equals(author) || c.checkpointRecord() != latest.record().seq()
                    || !c.checkpoint().toText().equals(latest.checkpoint().toText())) {
                return Optional.empty();
            }
            OptionalLong time = Cosignatures.verify(latest.checkpoint(), c.cosignature(), c.cosignature().keyName(),
                    Hex.decode(r.author()));
            return time.isPresent() ? Optional.of(new Cosigner(r.author(), c.cosignature().keyName(), time.getAsLong()))
                    : Optional.empty();
        } catch (MalformedRecordException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> evidence(LogRecord r) {
        try {
            LogRecord earlier = LogRecord.parse(WitnessRecords.base64(r.body().get("earlier"), "earlier"));
            LogRecord later = LogRecord.parse(WitnessRecords.base64(r.body().get("later"), "later"));
            if (!earlier.author().equals(r.body().path("log").asText())) {
                return Optional.empty();
            }
            return ForkEvidence.check(earlier, later);
        } catch (RuntimeException e) {
            return Optional.empty(); // malformed evidence proves nothing
        }
    }

    private Optional<PublishedCheckpoint> latestPublished(String author) {
        List<PublishedCheckpoint> all = checkpoints(author);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    private List<PublishedCheckpoint> checkpoints(String author) {
        List<PublishedCheckpoint> out = new ArrayList<>();
        for (LogRecord r : records(author)) {
            if (WitnessRecords.CHECKPOINT.equals(r.type())) {
                try {
                    out.add(WitnessRecords.readCheckpoint(r));
                } catch (MalformedRecordException ignored) {
                    // a record that is no valid checkpoint is skipped; the next one must still name a real predecessor
                }
            }
        }
        return out;
    }

    private List<LogRecord> records(String author) {
        List<LogRecord> out = new ArrayList<>();
        long from = 1;
        while (true) {
            List<LogRecord> page = log.range(author, from, PAGE);
            out.addAll(page);
            if (page.size() < PAGE) {
                return out;
            }
            from = page.get(page.size() - 1).seq() + 1;
        }
    }

}
