package org.sovereign.store.vault;

import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.log.AuditAnchor;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.AeadContext;
import org.sovereign.store.vault.crypto.KeyDerivation;
import org.sovereign.store.vault.crypto.KeyMaterial;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The sealed audit anchor (table {@code audit_anchor}, one row):
 * <pre>
 *   key       = KeyDerivation.derive(master, "audit-anchor")
 *   plaintext = size (8 bytes, big-endian) | root hash (32 bytes)
 *   sealed    = Aead.seal(key, plaintext, AAD = AeadContext("audit_anchor", 1, "sealed", "audit-anchor"))
 * </pre>
 * Without the master key it can be deleted or replaced by an older sealed row of the same vault, not forged or edited.
 */
final class AuditAnchorRow {
    static final String KEY_PURPOSE = "audit-anchor";
    private static final AeadContext CONTEXT = new AeadContext("audit_anchor", 1, "sealed", KEY_PURPOSE);
    private static final int LENGTH = 8 + 32;

    private AuditAnchorRow() {
    }

    static byte[] seal(Aead aead, KeyMaterial master, AuditAnchor anchor) {
        byte[] plain = ByteBuffer.allocate(LENGTH).putLong(anchor.size()).put(anchor.rootHash()).array();
        try (KeyMaterial key = KeyDerivation.derive(master, KEY_PURPOSE)) {
            return aead.seal(key, plain, CONTEXT.encode());
        }
    }

    /**
     * Opens the stored anchor.
     *
     * @throws TamperedDataException if the row was altered or does not belong to this vault
     */
    static Optional<AuditAnchor> read(Connection c, Aead aead, KeyMaterial master) throws SQLException {
        byte[] sealed;
        try (PreparedStatement ps = c.prepareStatement("SELECT sealed FROM audit_anchor WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            sealed = rs.getBytes(1);
        }
        byte[] plain;
        try (KeyMaterial key = KeyDerivation.derive(master, KEY_PURPOSE)) {
            plain = aead.open(key, sealed, CONTEXT.encode());
        } catch (TamperedDataException e) {
            throw new TamperedDataException("The vault's own record of its audit log failed its integrity check: it was altered.", e);
        }
        if (plain.length != LENGTH) {
            throw new TamperedDataException("The vault's own record of its audit log has an unknown layout.");
        }
        ByteBuffer b = ByteBuffer.wrap(plain);
        long size = b.getLong();
        byte[] root = new byte[32];
        b.get(root);
        if (size < 0) {
            throw new TamperedDataException("The vault's own record of its audit log has an unknown layout.");
        }
        return Optional.of(new AuditAnchor(size, root));
    }

    static boolean exists(Connection c) throws SQLException {
        return Sql.queryLong(c, "SELECT COUNT(*) FROM audit_anchor") > 0;
    }

    /** Replaces the row (inside the caller's transaction, if any). */
    static void write(Connection c, byte[] sealed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO audit_anchor (id, sealed, updated_at) VALUES (1, ?, ?)")) {
            ps.setBytes(1, sealed);
            ps.setLong(2, System.currentTimeMillis());
            ps.executeUpdate();
        }
    }

    /** The anchor of an empty log. */
    static AuditAnchor empty() {
        return new AuditAnchor(0, new MerkleTree().rootHash());
    }

    /** The anchor a signed checkpoint note stands for (its size and root; the signature is checked elsewhere). */
    static AuditAnchor of(byte[] signedNote) {
        try {
            Checkpoint cp = Checkpoint.parse(SignedNote.parse(signedNote).text());
            return new AuditAnchor(cp.size(), cp.rootHash());
        } catch (AuditException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a signed checkpoint: " + e.getMessage(), e);
        }
    }

    /**
     * For a vault from before anchors (header format 1): the anchor of the latest checkpoint in the database, taken
     * as it is (the first unlock after the upgrade trusts what it finds; the audit log is verified right after).
     */
    static AuditAnchor adopt(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT note FROM audit_checkpoint ORDER BY id DESC LIMIT 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return empty();
            }
            try {
                return of(rs.getBytes(1));
            } catch (IllegalArgumentException unreadable) {
                return empty(); // the log's own verification reports the bad checkpoint
            }
        }
    }
}
