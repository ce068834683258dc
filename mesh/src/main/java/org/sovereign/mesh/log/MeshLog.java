package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.vault.crypto.Hex;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One member's view of a cooperative's logs: its own append-only log, which it signs, and the logs of the other
 * members, each record verified (cooperative, admission, signature, sequence number and chain link) before it is kept.
 * Two different valid records at one place of a log freeze their author and are kept as evidence. Thread-safe.
 *
 * <p>Record types are not interpreted here: a record of a type this version does not know is kept and relayed like
 * any other, and the code that reads records (governance, pack offers) skips what it does not understand.
 */
public final class MeshLog {
    private final String coop;
    private final RecordSigner self;
    private final String selfHex;
    private final RecordStore store;
    private final Clock clock;
    private final Predicate<String> admitted;
    private final Map<String, Map<Receipt, Long>> counts = new HashMap<>();
    private long ownClaimedByPeers;

    /**
     * @param coop     the cooperative's id, which every record names
     * @param self     this member's key
     * @param store    where the logs are kept
     * @param clock    the clock written into own records (informational)
     * @param admitted which authors' records are accepted (the admission policy; governance supplies it)
     */
    public MeshLog(String coop, RecordSigner self, RecordStore store, Clock clock, Predicate<String> admitted) {
        this.coop = Objects.requireNonNull(coop, "coop");
        this.self = Objects.requireNonNull(self, "self");
        this.selfHex = Hex.encode(self.publicKey());
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.admitted = Objects.requireNonNull(admitted, "admitted");
        // How far peers were seen to hold this member's log outlives a restart: a restored vault that learned it is
        // behind (from a bundle or a peer) keeps refusing to write until it has caught up.
        for (List<LogHead> heads : store.peerHeads().values()) {
            for (LogHead head : heads) {
                if (head.author().equals(selfHex)) {
                    ownClaimedByPeers = Math.max(ownClaimedByPeers, head.seq());
                }
            }
        }
    }

    /** A log that accepts records from any author of the cooperative (before admission records exist). */
    public MeshLog(String coop, RecordSigner self, RecordStore store, Clock clock) {
        this(coop, self, store, clock, author -> true);
    }

    public String coop() {
        return coop;
    }

    /** This member's key, lower-case hex. */
    public String self() {
        return selfHex;
    }

    /**
     * Signs and appends a record to this member's own log.
     *
     * @throws LogBehindException    when peers hold later records of this log than this store does
     * @throws IllegalStateException when this member's own key is frozen
     */
    public synchronized LogRecord append(String type, int version, ObjectNode body) {
        if (store.frozen().containsKey(selfHex)) {
            throw new IllegalStateException("This member's log is frozen after two different records were seen at one "
                    + "place in it; nothing more can be written to it.");
        }
        Optional<LogHead> head = store.head(selfHex);
        long seq = head.map(LogHead::seq).orElse(0L) + 1;
        if (ownClaimedByPeers >= seq) {
            throw new LogBehindException("Peers hold this member's log up to record " + ownClaimedByPeers
                    + ", but this device has only " + (seq - 1) + " (was the vault restored from a backup?). "
                    + "Nothing is written until the missing records are fetched from peers.");
        }
        LogRecord record = LogRecord.sign(self, coop, seq, head.map(LogHead::hash).orElse(null), type, version,
                clock.millis(), body);
        store.append(record);
        return record;
    }

    /** Checks a record received from a peer and keeps it if it is the next valid one of its author's log. */
    public synchronized Receipt receive(LogRecord record) {
        Receipt receipt = check(record);
        counts.computeIfAbsent(record.author(), a -> new EnumMap<>(Receipt.class)).merge(receipt, 1L, Long::sum);
        return receipt;
    }

    /** Reads and checks a record's wire form; a malformed one is counted (under no author) and refused. */
    public Receipt receive(byte[] wire) {
        LogRecord record;
        try {
            record = LogRecord.parse(wire);
        } catch (MalformedRecordException e) {
            synchronized (this) {
                counts.computeIfAbsent("", a -> new EnumMap<>(Receipt.class)).merge(Receipt.MALFORMED, 1L, Long::sum);
            }
            return Receipt.MALFORMED;
        }
        return receive(record);
    }

    private Receipt check(LogRecord record) {
        if (!record.coop().equals(coop)) {
            return Receipt.WRONG_COOPERATIVE;
        }
        if (store.frozen().containsKey(record.author())) {
            return Receipt.FROZEN_AUTHOR;
        }
        if (!admitted.test(record.author())) {
            return Receipt.NOT_ADMITTED;
        }
        if (!record.signatureValid()) {
            return Receipt.BAD_SIGNATURE;
        }
        long held = store.head(record.author()).map(LogHead::seq).orElse(0L);
        if (record.seq() <= held) {
            LogRecord existing = store.get(record.author(), record.seq()).orElseThrow();
            if (existing.hash().equals(record.hash())) {
                return Receipt.DUPLICATE;
            }
            store.freeze(new Equivocation(record.author(), record.seq(), existing, record));
            return Receipt.EQUIVOCATION;
        }
        if (record.seq() > held + 1) {
            return Receipt.GAP;
        }
        String expectedPrev = store.head(record.author()).map(LogHead::hash).orElse(null);
        if (!Objects.equals(expectedPrev, record.prev())) {
            return Receipt.BROKEN_CHAIN;
        }
        store.append(record);
        return Receipt.APPENDED;
    }

    /** The heads of every log held, by author. */
    public synchronized Map<String, LogHead> heads() {
        return Map.copyOf(store.heads());
    }

    /** The record at {@code seq} of {@code author}'s log, if held. */
    public synchronized Optional<LogRecord> get(String author, long seq) {
        return store.get(author, seq);
    }

    /** Up to {@code limit} records of {@code author}'s log from {@code fromSeq} on. */
    public synchronized List<LogRecord> range(String author, long fromSeq, int limit) {
        return store.range(author, fromSeq, limit);
    }

    /**
     * What to ask a peer for, given the heads it announced: every log it holds further than this member, and, where it
     * holds a different record at a place this member also holds (a fork), that record, to keep as evidence. Frozen
     * authors are not asked for. Also notes how far peers hold this member's own log (see {@link #append}).
     */
    public synchronized List<Want> wantsFor(Collection<LogHead> theirs) {
        List<Want> wants = new ArrayList<>();
        Map<String, Equivocation> frozen = store.frozen();
        for (LogHead head : theirs) {
            if (head.author().equals(selfHex)) {
                ownClaimedByPeers = Math.max(ownClaimedByPeers, head.seq());
            }
            if (frozen.containsKey(head.author())) {
                continue;
            }
            long held = store.head(head.author()).map(LogHead::seq).orElse(0L);
            if (head.seq() > held) {
                wants.add(new Want(head.author(), held + 1));
            } else {
                store.get(head.author(), head.seq())
                        .filter(mine -> !mine.hash().equals(head.hash()))
                        .ifPresent(mine -> wants.add(new Want(head.author(), head.seq())));
            }
        }
        return wants;
    }

    /**
     * Remembers (in the store) the heads member {@code peer} (its key, lower-case hex) was seen to hold, and returns
     * what to ask it for, as {@link #wantsFor}. Heads this member announced itself are not remembered.
     */
    public synchronized List<Want> seenFrom(String peer, Collection<LogHead> heads) {
        if (!peer.equals(selfHex)) {
            store.rememberPeerHeads(peer, List.copyOf(heads));
        }
        return wantsFor(heads);
    }

    /** The heads last seen from each member, by the member's key (see {@link #seenFrom}). */
    public synchronized Map<String, List<LogHead>> peerHeads() {
        return store.peerHeads();
    }

    /** The furthest place of this member's own log that peers were seen to hold (0 when none was seen). */
    public synchronized long ownPublishedHead() {
        return ownClaimedByPeers;
    }

    /** Whether peers were seen to hold more of this member's own log than this store does. */
    public synchronized boolean behindOwnPublishedHead() {
        long held = store.head(selfHex).map(LogHead::seq).orElse(0L);
        return ownClaimedByPeers > held;
    }

    /** The evidence of every equivocation seen, by author. */
    public synchronized Map<String, Equivocation> frozen() {
        return store.frozen();
    }

    /** How many records of each outcome were received per author ({@code ""} for malformed ones). */
    public synchronized Map<String, Map<Receipt, Long>> receipts() {
        Map<String, Map<Receipt, Long>> copy = new HashMap<>();
        counts.forEach((author, byReceipt) -> copy.put(author, Map.copyOf(byReceipt)));
        return copy;
    }

    /** How many records were refused in all (malformed, forged, unadmitted, wrong cooperative, broken, frozen). */
    public synchronized long refusedCount() {
        return counts.values().stream().flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getKey().refused()).mapToLong(Map.Entry::getValue).sum();
    }
}
