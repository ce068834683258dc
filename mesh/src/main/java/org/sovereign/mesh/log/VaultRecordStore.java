package org.sovereign.mesh.log;

import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.VaultSession;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members' logs kept encrypted in the vault: one scope of kind {@value #SCOPE_KIND}, one item per record (its wire
 * form) and one per equivocation (both records). Opening reads every item once and keeps an index in memory; each
 * record read back is parsed again, so an altered item fails as a malformed record.
 */
public final class VaultRecordStore implements RecordStore {
    /** The vault scope that holds the logs. */
    public static final String SCOPE_KIND = "mesh-log";
    static final String RECORD_KIND = "mesh-record";
    static final String FROZEN_KIND = "mesh-frozen";

    private final VaultSession session;
    private final long scopeId;
    private final MemoryRecordStore index = new MemoryRecordStore();

    private VaultRecordStore(VaultSession session, long scopeId) {
        this.session = session;
        this.scopeId = scopeId;
    }

    /**
     * Opens the logs of one cooperative in an unlocked vault, creating their scope the first time (the records of
     * every cooperative share the scope; each record names its own).
     */
    public static VaultRecordStore open(VaultSession session, String coop) {
        long scopeId = session.scopes().stream()
                .filter(s -> s.kind().equals(SCOPE_KIND) && !s.isErased())
                .mapToLong(Scope::id)
                .findFirst()
                .orElseGet(() -> session.createScope(SCOPE_KIND).id());
        VaultRecordStore store = new VaultRecordStore(session, scopeId);
        session.readItems(scopeId, RECORD_KIND, (bytes, id) -> {
            LogRecord record = LogRecord.parse(bytes);
            if (record.coop().equals(coop)) {
                store.index.append(record);
            }
        });
        session.readItems(scopeId, FROZEN_KIND, (bytes, id) -> {
            Equivocation evidence = decodeEvidence(bytes);
            if (evidence.kept().coop().equals(coop)) {
                store.index.freeze(evidence);
            }
        });
        return store;
    }

    @Override
    public Optional<LogHead> head(String author) {
        return index.head(author);
    }

    @Override
    public Map<String, LogHead> heads() {
        return index.heads();
    }

    @Override
    public Optional<LogRecord> get(String author, long seq) {
        return index.get(author, seq);
    }

    @Override
    public List<LogRecord> range(String author, long fromSeq, int limit) {
        return index.range(author, fromSeq, limit);
    }

    @Override
    public void append(LogRecord record) {
        long expected = index.head(record.author()).map(LogHead::seq).orElse(0L) + 1;
        if (record.seq() != expected) {
            throw new IllegalStateException("Record " + record.seq() + " is not the next one of its log.");
        }
        session.putItem(scopeId, RECORD_KIND, record.wire());
        index.append(record);
    }

    @Override
    public void freeze(Equivocation evidence) {
        if (index.frozen().containsKey(evidence.author())) {
            return;
        }
        session.putItem(scopeId, FROZEN_KIND, encodeEvidence(evidence));
        index.freeze(evidence);
    }

    @Override
    public Map<String, Equivocation> frozen() {
        return index.frozen();
    }

    private static byte[] encodeEvidence(Equivocation e) {
        byte[] a = e.kept().wire();
        byte[] b = e.conflicting().wire();
        return ByteBuffer.allocate(8 + a.length + b.length).putInt(a.length).put(a).putInt(b.length).put(b).array();
    }

    private static Equivocation decodeEvidence(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] a = new byte[in.getInt()];
        in.get(a);
        byte[] b = new byte[in.getInt()];
        in.get(b);
        LogRecord kept = LogRecord.parse(a);
        return new Equivocation(kept.author(), kept.seq(), kept, LogRecord.parse(b));
    }
}
