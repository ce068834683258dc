package org.sovereign.store.vault;

import org.sovereign.store.audit.log.AuditStore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The audit log's rows in the vault file (tables {@code audit_entry} and {@code audit_checkpoint}). Made by an
 * unlocked session, it also rewrites the sealed audit anchor ({@link AuditAnchorRow}) in the same transaction as every
 * checkpoint; made by a locked vault it cannot, and the anchor then stays at an older checkpoint (still consistent).
 */
final class VaultAuditStore implements AuditStore {

    private final Vault vault;
    /** Null for a locked vault's store. */
    private final VaultSession session;

    VaultAuditStore(Vault vault) {
        this(vault, null);
    }

    VaultAuditStore(Vault vault, VaultSession session) {
        this.vault = vault;
        this.session = session;
    }

    @Override
    public long size() {
        return vault.withConnection("count audit entries", c -> Sql.queryLong(c, "SELECT COUNT(*) FROM audit_entry"));
    }

    @Override
    public void append(List<StoredEntry> entries) {
        vault.withConnection("append audit entries", c -> {
            insert(c, entries);
            return null;
        });
    }

    /**
     * The effect's writes go through the same connection (its own {@link Sql#inTransaction} joins this one), so the
     * effect and the entries commit together, under the connection's {@code synchronous = FULL} (durable on return).
     */
    @Override
    public void appendWith(List<StoredEntry> entries, Runnable effect) {
        vault.withConnection("append audit entries with their effect", c -> {
            Sql.inTransaction(c, () -> {
                effect.run();
                insert(c, entries);
            });
            return null;
        });
    }

    /**
     * One transaction committed with {@code synchronous = NORMAL}: in WAL mode SQLite then writes the WAL frames but
     * does not fsync them, so the entries survive a crash of the process but not a power loss until the next synced
     * commit ({@link #saveCheckpoint}, under the connection's default {@code FULL}) flushes the WAL, which holds them.
     */
    @Override
    public void appendBuffered(List<StoredEntry> entries) {
        vault.withConnection("append audit entries", c -> {
            Sql.execute(c, "PRAGMA synchronous = NORMAL");
            try {
                insert(c, entries);
            } finally {
                Sql.execute(c, "PRAGMA synchronous = FULL");
            }
            return null;
        });
    }

    private static void insert(Connection c, List<StoredEntry> entries) throws SQLException {
        Sql.inTransaction(c, () -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (seq, leaf_hash, entry) VALUES (?, ?, ?)")) {
                for (StoredEntry e : entries) {
                    ps.setLong(1, e.sequence());
                    ps.setBytes(2, e.leafHash());
                    ps.setBytes(3, e.entry());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        });
    }

    @Override
    public List<StoredEntry> read(long from, long to) {
        return vault.withConnection("read audit entries", c -> {
            // a key range, not LIMIT/OFFSET (which steps over every earlier row). A removed row shows up as a gap in
            // seq, a swapped row as an entry whose own sequence number differs: the verifier checks both.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT seq, leaf_hash, entry FROM audit_entry WHERE seq >= ? AND seq < ? ORDER BY seq")) {
                ps.setLong(1, from);
                ps.setLong(2, to);
                List<StoredEntry> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new StoredEntry(rs.getLong(1), rs.getBytes(2), rs.getBytes(3)));
                    }
                }
                return out;
            }
        });
    }

    @Override
    public void saveCheckpoint(long size, byte[] signedNote) {
        byte[] anchor = sealedAnchor(signedNote);
        // committed under the connection's synchronous = FULL: the WAL is fsynced, with every buffered entry before it
        vault.withConnection("save an audit checkpoint", c -> {
            Sql.inTransaction(c, () -> insertCheckpoint(c, size, signedNote, anchor));
            return null;
        });
    }

    @Override
    public void appendWithCheckpoint(List<StoredEntry> entries, long size, byte[] signedNote) {
        byte[] anchor = sealedAnchor(signedNote);
        vault.withConnection("append audit entries", c -> {
            Sql.inTransaction(c, () -> {
                insert(c, entries);
                insertCheckpoint(c, size, signedNote, anchor);
            });
            return null;
        });
    }

    private byte[] sealedAnchor(byte[] signedNote) {
        return session == null ? null : session.sealAuditAnchor(AuditAnchorRow.of(signedNote));
    }

    private static void insertCheckpoint(Connection c, long size, byte[] signedNote, byte[] sealedAnchor)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoint (size, note, created_at) VALUES (?, ?, ?)")) {
            ps.setLong(1, size);
            ps.setBytes(2, signedNote);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
        if (sealedAnchor != null) {
            AuditAnchorRow.write(c, sealedAnchor);
        }
    }

    @Override
    public List<byte[]> checkpoints() {
        return vault.withConnection("read audit checkpoints", c -> {
            List<byte[]> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT note FROM audit_checkpoint ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getBytes(1));
                }
            }
            return out;
        });
    }
}
