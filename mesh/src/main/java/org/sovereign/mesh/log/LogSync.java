package org.sovereign.mesh.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    private final MeshLog log;
    private final Map<Object, List<LogHead>> lastHeads = new ConcurrentHashMap<>();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong malformedMessages = new AtomicLong();

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
     * that cannot be read is counted and ignored.
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
            return asked(log.wantsFor(h.heads()));
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
        List<Want> wants = new ArrayList<>();
        List<LogHead> promised = lastHeads.get(peer);
        if (appended > 0 && promised != null) {
            wants.addAll(log.wantsFor(promised));
        }
        for (Want gap : gaps.values()) {
            if (wants.stream().noneMatch(w -> w.author().equals(gap.author()))) {
                wants.add(gap);
            }
        }
        return asked(wants);
    }

    /** Forgets what a peer announced (it left the view). */
    public void forget(Object peer) {
        lastHeads.remove(peer);
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
