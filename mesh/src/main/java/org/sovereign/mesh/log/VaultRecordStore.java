package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.VaultSession;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The members' logs kept encrypted in the vault: one scope of kind {@value #SCOPE_KIND}, one item per record (its wire
 * form), one per equivocation (both records) and one per member whose heads were last seen (the latest only). Opening reads every item once and keeps an index in memory; each
 * record read back is parsed again, so an altered item fails as a malformed record.
 */
public final class VaultRecordStore implements RecordStore {
    /** The vault scope that holds the logs. */
    public static final String SCOPE_KIND = "mesh-log";
    static final String RECORD_KIND = "mesh-record";
    static final String FROZEN_KIND = "mesh-frozen";
    static final String PEER_HEADS_KIND = "mesh-peer-heads";

    private final VaultSession session;
    private final long scopeId;
    private final MemoryRecordStore index = new MemoryRecordStore();
    private final Map<String, Long> peerHeadItems = new HashMap<>();
    private final String coop;

    private VaultRecordStore(VaultSession session, long scopeId, String coop) {
        this.session = session;
        this.scopeId = scopeId;
        this.coop = coop;
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
        VaultRecordStore store = new VaultRecordStore(session, scopeId, coop);
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
        List<Long> superseded = new ArrayList<>();
        session.readItems(scopeId, PEER_HEADS_KIND, (bytes, id) -> {
            ObjectNode node = readJson(bytes);
            if (node.path("coop").asText().equals(coop)) {
                String peer = node.path("peer").asText();
                Long earlier = store.peerHeadItems.put(peer, id);
                if (earlier != null) {
                    superseded.add(earlier); // left by a write interrupted between adding the new and deleting the old
                }
                store.index.rememberPeerHeads(peer, decodeHeads(node));
            }
        });
        superseded.forEach(session::deleteItem);
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

    @Override
    public void rememberPeerHeads(String peer, List<LogHead> heads) {
        List<LogHead> sorted = heads.stream().sorted(Comparator.comparing(LogHead::author)).toList();
        List<LogHead> known = index.peerHeads().get(peer);
        if (known != null && known.stream().sorted(Comparator.comparing(LogHead::author)).toList().equals(sorted)) {
            return;
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("coop", coop);
        ArrayNode list = node.putArray("heads");
        for (LogHead head : sorted) {
            list.addObject().put("author", head.author()).put("hash", head.hash()).put("seq", head.seq());
        }
        node.put("peer", peer);
        long id = session.putItem(scopeId, PEER_HEADS_KIND, CanonicalJson.of(node));
        Long earlier = peerHeadItems.put(peer, id);
        if (earlier != null) {
            session.deleteItem(earlier);
        }
        index.rememberPeerHeads(peer, sorted);
    }

    @Override
    public Map<String, List<LogHead>> peerHeads() {
        return index.peerHeads();
    }

    private static ObjectNode readJson(byte[] bytes) {
        try {
            return (ObjectNode) CanonicalJson.MAPPER.readTree(bytes);
        } catch (java.io.IOException | ClassCastException e) {
            throw new MalformedRecordException("A remembered list of a peer's heads in the vault is not readable.");
        }
    }

    private static List<LogHead> decodeHeads(ObjectNode node) {
        List<LogHead> heads = new ArrayList<>();
        for (JsonNode head : node.path("heads")) {
            heads.add(new LogHead(head.path("author").asText(), head.path("seq").asLong(), head.path("hash").asText()));
        }
        return heads;
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
