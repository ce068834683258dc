package org.sovereign.mesh.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Anti-entropy over {@link SyncMessage}s, independent of the transport: a member announces its {@link #heads()} (on
 * join and on every view change or merge); a peer that holds less answers with {@link SyncMessage.Wants}; the holder
 * answers with {@link SyncMessage.Records} (bounded per reply); the receiver verifies each and, while it makes
 * progress, asks again until it holds what the announced heads promised. A record pushed live that arrives ahead of a
 * missing one makes the receiver ask for the gap. Thread-safe.
 */
public final class LogSync {
    /** At most this many records in one reply. */
    public static final int MAX_RECORDS_PER_REPLY = 1_000;
    /** At most about this many bytes of records in one reply. */
    public static final int MAX_REPLY_BYTES = 2 * 1024 * 1024;

    /** How long a request for an author's records stands before another peer is asked for the same ones. */
    static final long PENDING_NANOS = 10_000_000_000L;

    /** A request sent to {@code peer} for an author's records up to {@code upTo}. */
    private record Pending(Object peer, long upTo, long sinceNanos) {
    }

    /** A peer whose name is a member key (MeshNode names members so) has its heads remembered per member. */
    private static final java.util.regex.Pattern MEMBER_KEY = java.util.regex.Pattern.compile("[0-9a-f]{64}");

    private final MeshLog log;
    private final Map<Object, List<LogHead>> lastHeads = new ConcurrentHashMap<>();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();

    /** The audit entry type of a message that carried records to peers. */
    public static final String RECORDS_SENT = org.sovereign.store.audit.log.AuditTypes.MESH_RECORDS_SENT;

    /**
     * What a message carries, for the audit log, when it carries records: their number and, per author, the places
     * sent ({@code logs}: "first 16 hex digits of the author:from-to", comma-separated); empty for other messages.
     */
    public static Optional<Map<String, String>> recordsCarried(byte[] message) {
        SyncMessage decoded;
        try {
            decoded = SyncMessage.decode(message);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        if (!(decoded instanceof SyncMessage.Records records) || records.records().isEmpty()) {
            return Optional.empty();
        }
        Map<String, long[]> ranges = new java.util.TreeMap<>();
        for (byte[] wire : records.records()) {
            try {
                LogRecord r = LogRecord.parse(wire);
                ranges.merge(r.author().substring(0, 16), new long[] {r.seq(), r.seq()},
                        (a, b) -> new long[] {Math.min(a[0], b[0]), Math.max(a[1], b[1])});
            } catch (RuntimeException e) {
                ranges.merge("unreadable", new long[] {0, 0}, (a, b) -> a);
            }
        }
        StringBuilder logs = new StringBuilder();
        ranges.forEach((author, range) -> logs.append(logs.length() == 0 ? "" : ",").append(author).append(':')
                .append(range[0]).append('-').append(range[1]));
        return Optional.of(Map.of("records", Integer.toString(records.records().size()), "logs", logs.toString()));
    }

    public LogSync(MeshLog log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    public MeshLog log() {
        return log;
    }

    /** This member's heads, to send to every peer. */
    public byte[] heads() {
        return new SyncMessage.Heads(List.copyOf(log.heads().values())).encode();
    }

    /** Records to push to peers as they are written. */
    public static byte[] push(List<LogRecord> records) {
        return new SyncMessage.Records(records.stream().map(LogRecord::wire).toList()).encode();
    }

    /**
     * Handles one message from {@code peer} and returns the replies to send back to that peer (often none). A message
     * that cannot be read is counted and ignored. When {@code peer}'s name is a member key (lower-case hex), the heads
     * it announces are remembered as that member's ({@link MeshLog#seenFrom}); the name is the peer's own claim.
     */
    public List<byte[]> handle(Object peer, byte[] bytes) {
        SyncMessage message;
        try {
            message = SyncMessage.decode(bytes);
        } catch (MalformedRecordException e) {
            malformedMessages.incrementAndGet();
            return List.of();
        }
        if (message instanceof SyncMessage.Heads h) {
            lastHeads.put(peer, h.heads());
            String name = String.valueOf(peer);
            List<Want> wants = MEMBER_KEY.matcher(name).matches() ? log.seenFrom(name, h.heads()) : log.wantsFor(h.heads());
            return asked(notAskedElsewhere(peer, h.heads(), wants));
        }
        if (message instanceof SyncMessage.Wants w) {
            return serve(w.wants());
        }
        SyncMessage.Records r = (SyncMessage.Records) message;
        int appended = 0;
        Map<String, Want> gaps = new LinkedHashMap<>();
        for (byte[] wire : r.records()) {
            Receipt receipt = log.receive(wire);
            if (receipt == Receipt.APPENDED) {
                appended++;
            } else if (receipt == Receipt.GAP) {
                LogRecord record = LogRecord.parse(wire);
                long held = log.heads().containsKey(record.author()) ? log.heads().get(record.author()).seq() : 0;
                gaps.putIfAbsent(record.author(), new Want(record.author(), held + 1));
            }
        }
        Map<String, LogHead> held = log.heads();
        pending.entrySet().removeIf(e -> held.containsKey(e.getKey()) && held.get(e.getKey()).seq() >= e.getValue().upTo());
        List<Want> wants = new ArrayList<>();
        List<LogHead> promised = lastHeads.get(peer);
        if (appended > 0 && promised != null) {
            wants.addAll(notAskedElsewhere(peer, promised, log.wantsFor(promised)));
        }
        for (Want gap : gaps.values()) {
            if (wants.stream().noneMatch(w -> w.author().equals(gap.author()))) {
                wants.add(gap);
            }
        }
        return asked(wants);
    }

    /** Forgets what a peer announced and what it was asked (it left the view). */
    public void forget(Object peer) {
        lastHeads.remove(peer);
        pending.values().removeIf(p -> p.peer().equals(peer));
    }

    /**
     * The wants to send {@code peer}, leaving out catching up on a log another peer was asked for recently and promised
     * at least as far (after a merge every member of the other side announces the same logs; one of them is asked).
     * Requests for a record at a place already held (fork evidence) are always sent.
     */
    private List<Want> notAskedElsewhere(Object peer, List<LogHead> announced, List<Want> wants) {
        Map<String, LogHead> held = log.heads();
        long now = System.nanoTime();
        List<Want> out = new ArrayList<>();
        for (Want want : wants) {
            long heldSeq = held.containsKey(want.author()) ? held.get(want.author()).seq() : 0;
            long upTo = announced.stream().filter(h -> h.author().equals(want.author())).mapToLong(LogHead::seq)
                    .max().orElse(want.fromSeq());
            if (want.fromSeq() == heldSeq + 1) {
                Pending asked = pending.get(want.author());
                if (asked != null && !asked.peer().equals(peer) && now - asked.sinceNanos() < PENDING_NANOS
                        && asked.upTo() >= upTo) {
                    continue;
                }
                pending.put(want.author(), new Pending(peer, upTo, now));
            }
            out.add(want);
        }
        return out;
    }

    /** How many records this member has sent in replies. */
    public long recordsSent() {
        return recordsSent.get();
    }

    /** How many messages from peers could not be read. */
    public long malformedMessages() {
        return malformedMessages.get();
    }

    private static List<byte[]> asked(List<Want> wants) {
        return wants.isEmpty() ? List.of() : List.of(new SyncMessage.Wants(wants).encode());
    }

    private List<byte[]> serve(List<Want> wants) {
        List<byte[]> records = new ArrayList<>();
        long bytes = 0;
        for (Want want : wants) {
            int room = MAX_RECORDS_PER_REPLY - records.size();
            if (room <= 0 || bytes >= MAX_REPLY_BYTES) {
                break;
            }
            for (LogRecord record : log.range(want.author(), want.fromSeq(), room)) {
                if (bytes + record.size() > MAX_REPLY_BYTES && !records.isEmpty()) {
                    break;
                }
                records.add(record.wire());
                bytes += record.size();
            }
        }
        if (records.isEmpty()) {
            return List.of();
        }
        recordsSent.addAndGet(records.size());
        return List.of(new SyncMessage.Records(records).encode());
    }
}
