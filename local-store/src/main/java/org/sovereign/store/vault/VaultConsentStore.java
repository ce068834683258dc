package org.sovereign.store.vault;

import org.sovereign.store.consent.ConsentEventStore;
import org.sovereign.store.consent.SignedConsentEvent;

import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consent events in the vault file: table {@code consent_event}, each signed event encrypted under its consent's own
 * scope key (one scope of kind {@code consent} per consent record), bound to its row. Append-only.
 */
final class VaultConsentStore implements ConsentEventStore {

    static final String TABLE = "consent_event";
    static final String COLUMN = "ciphertext";
    static final String SCOPE_KIND = "consent";

    private final Vault vault;
    private final VaultSession session;
    /**
     * Decrypted events by row id, with the exact ciphertext they came from. The consent gate reads every event on
     * every call (so a changed row is noticed at once); when a row's stored bytes are the ones decrypted before and its
     * scope key is still held, the AES-GCM open is skipped. Dropped with this store (it lives as long as the unlocked
     * {@code LocalStore}); an erased scope or a locked session never hits, because the key is no longer held.
     */
    private final Map<Long, Decrypted> decrypted = new ConcurrentHashMap<>();

    private record Decrypted(long scopeId, byte[] ciphertext, SignedConsentEvent event) {
    }

    private record Row(long id, String recordId, long scopeId, byte[] ciphertext) {
    }

    VaultConsentStore(Vault vault, VaultSession session) {
        this.vault = vault;
        this.session = session;
    }

    @Override
    public void append(String recordId, SignedConsentEvent event) {
        long scopeId = scopeOf(recordId).orElseGet(() -> session.createScope(SCOPE_KIND).id());
        long sequence = eventsOf(recordId).size() + 1L;
        byte[] plain = encode(event);
        vault.withConnection("store a consent event", c -> {
            Sql.inTransaction(c, () -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO consent_event (record_id, sequence, scope_id, created_at, ciphertext) VALUES (?, ?, ?, ?, x'')")) {
                    ps.setString(1, recordId);
                    ps.setLong(2, sequence);
                    ps.setLong(3, scopeId);
                    ps.setLong(4, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                long id = Sql.queryLong(c, "SELECT last_insert_rowid()");
                byte[] ciphertext = session.encrypt(scopeId, new CellAddress(TABLE, id, COLUMN), plain);
                try (PreparedStatement ps = c.prepareStatement("UPDATE consent_event SET ciphertext = ? WHERE id = ?")) {
                    ps.setBytes(1, ciphertext);
                    ps.setLong(2, id);
                    ps.executeUpdate();
                }
            });
            return null;
        });
    }

    @Override
    public List<SignedConsentEvent> eventsOf(String recordId) {
        List<Row> rows = vault.withConnection("read consent events", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT id, record_id, scope_id, ciphertext FROM consent_event WHERE record_id = ? ORDER BY sequence")) {
                ps.setString(1, recordId);
                return rows(ps);
            }
        });
        List<SignedConsentEvent> events = new ArrayList<>(rows.size());
        for (Row r : rows) {
            events.add(open(r));
        }
        return events;
    }

    /** One read of the whole table: records in the order of their first event, each record's events by sequence. */
    @Override
    public Map<String, List<SignedConsentEvent>> allEvents() {
        List<Row> rows = vault.withConnection("read consent events", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT e.id, e.record_id, e.scope_id, e.ciphertext FROM consent_event e"
                            + " JOIN (SELECT record_id, MIN(id) AS first FROM consent_event GROUP BY record_id) f"
                            + " ON f.record_id = e.record_id ORDER BY f.first, e.sequence")) {
                return rows(ps);
            }
        });
        Map<String, List<SignedConsentEvent>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(r.recordId(), k -> new ArrayList<>()).add(open(r));
        }
        return out;
    }

    private static List<Row> rows(PreparedStatement ps) throws SQLException {
        List<Row> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getBytes(4)));
            }
        }
        return out;
    }

    private SignedConsentEvent open(Row r) {
        Decrypted known = decrypted.get(r.id());
        if (known != null && known.scopeId() == r.scopeId() && Arrays.equals(known.ciphertext(), r.ciphertext())
                && session.holdsKey(r.scopeId())) {
            return known.event();
        }
        SignedConsentEvent event = decode(session.decrypt(r.scopeId(), new CellAddress(TABLE, r.id(), COLUMN), r.ciphertext()));
        decrypted.put(r.id(), new Decrypted(r.scopeId(), r.ciphertext(), event));
        return event;
    }

    @Override
    public List<String> recordIds() {
        return vault.withConnection("list consents", c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT record_id FROM consent_event GROUP BY record_id ORDER BY MIN(id)");
                 ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
                return out;
            }
        });
    }

    private Optional<Long> scopeOf(String recordId) {
        return vault.withConnection("find a consent's scope", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT scope_id FROM consent_event WHERE record_id = ? LIMIT 1")) {
                ps.setString(1, recordId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getLong(1)) : Optional.empty();
                }
            }
        });
    }

    /** Three length-prefixed fields: signed body, signature, signer key. */
    private static byte[] encode(SignedConsentEvent e) {
        byte[] body = e.body();
        byte[] sig = e.signature();
        byte[] key = e.signerPublicKey();
        return ByteBuffer.allocate(12 + body.length + sig.length + key.length)
                .putInt(body.length).put(body).putInt(sig.length).put(sig).putInt(key.length).put(key).array();
    }

    private static SignedConsentEvent decode(byte[] plain) {
        try {
            ByteBuffer b = ByteBuffer.wrap(plain);
            byte[] body = new byte[b.getInt()];
            b.get(body);
            byte[] sig = new byte[b.getInt()];
            b.get(sig);
            byte[] key = new byte[b.getInt()];
            b.get(key);
            if (b.hasRemaining()) {
                throw new CorruptVaultException("A consent event has trailing bytes.");
            }
            return new SignedConsentEvent(body, sig, key);
        } catch (RuntimeException e) {
            if (e instanceof CorruptVaultException c) {
                throw c;
            }
            throw new CorruptVaultException("A consent event cannot be read.");
        }
    }
}
