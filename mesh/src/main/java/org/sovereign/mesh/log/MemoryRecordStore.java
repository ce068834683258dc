package org.sovereign.mesh.log;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Logs held in memory only: for tests, and as the index of {@link VaultRecordStore}. Not thread-safe. */
public final class MemoryRecordStore implements RecordStore {
    private final Map<String, List<LogRecord>> logs = new TreeMap<>();
    private final Map<String, Equivocation> frozen = new LinkedHashMap<>();
    private final Map<String, List<LogHead>> peerHeads = new TreeMap<>();

    @Override
    public Optional<LogHead> head(String author) {
        List<LogRecord> log = logs.get(author);
        return log == null || log.isEmpty() ? Optional.empty() : Optional.of(LogHead.of(log.get(log.size() - 1)));
    }

    @Override
    public Map<String, LogHead> heads() {
        Map<String, LogHead> out = new HashMap<>();
        logs.forEach((author, log) -> out.put(author, LogHead.of(log.get(log.size() - 1))));
        return out;
    }

    @Override
    public Optional<LogRecord> get(String author, long seq) {
        List<LogRecord> log = logs.get(author);
        if (log == null || seq < 1 || seq > log.size()) {
            return Optional.empty();
        }
        return Optional.of(log.get((int) (seq - 1)));
    }

    @Override
    public List<LogRecord> range(String author, long fromSeq, int limit) {
        List<LogRecord> log = logs.getOrDefault(author, List.of());
        List<LogRecord> out = new ArrayList<>();
        for (long seq = Math.max(1, fromSeq); seq <= log.size() && out.size() < limit; seq++) {
            out.add(log.get((int) (seq - 1)));
        }
        return out;
    }

    @Override
    public void append(LogRecord record) {
        List<LogRecord> log = logs.computeIfAbsent(record.author(), a -> new ArrayList<>());
        if (record.seq() != log.size() + 1L) {
            throw new IllegalStateException("Record " + record.seq() + " is not the next one of its log.");
        }
        log.add(record);
    }

    @Override
    public void freeze(Equivocation evidence) {
        frozen.putIfAbsent(evidence.author(), evidence);
    }

    @Override
    public Map<String, Equivocation> frozen() {
        return Map.copyOf(frozen);
    }

    @Override
    public void rememberPeerHeads(String peer, List<LogHead> heads) {
        peerHeads.put(peer, List.copyOf(heads));
    }

    @Override
    public Map<String, List<LogHead>> peerHeads() {
        return Map.copyOf(peerHeads);
    }
}
