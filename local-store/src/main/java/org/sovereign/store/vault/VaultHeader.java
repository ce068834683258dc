package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.CanonicalEncoding;
import org.sovereign.store.vault.crypto.KdfParams;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The vault header row: format version, Argon2id parameters, salt and the wrapped master key.
 * Nothing here is secret; its integrity comes from {@link #binding()}, which is authenticated as part
 * of the master-key wrap.
 */
record VaultHeader(int formatVersion, KdfParams kdf, byte[] salt, byte[] wrappedMasterKey) {
    /**
     * The vault format this build writes. 2: the vault keeps a sealed audit anchor ({@link AuditAnchorRow}); since the
     * format version is bound into the master-key wrap, the header cannot be set back to 1 (which has no anchor)
     * without the passphrase. Format 1 is still read and upgraded to 2 at the first unlock.
     */
    static final int FORMAT_VERSION = 2;
    /** The format before audit anchors. */
    static final int FORMAT_WITHOUT_ANCHOR = 1;
    /** Stored name of the KDF: Argon2id, version 0x13 (19). */
    static final String KDF_ALGORITHM = "argon2id-v19";
    /** Key id and purpose of the master-key wrap. */
    static final String MASTER_KEY_ID = "master";
    static final String MASTER_KEY_PURPOSE = "master-key";

    /** Associated data for the master-key wrap: every header field the unlock depends on. */
    byte[] binding() {
        return binding(formatVersion, kdf, salt);
    }

    static byte[] binding(int formatVersion, KdfParams kdf, byte[] salt) {
        return CanonicalEncoding.of("sovereign.vault.header.v1")
                .add(formatVersion).add(KDF_ALGORITHM)
                .add(kdf.memoryKiB()).add(kdf.iterations()).add(kdf.parallelism())
                .add(salt).toBytes();
    }

    /**
     * Reads and sanity-checks the header.
     *
     * @throws CorruptVaultException  if the row is missing or has an unknown format or algorithm
     * @throws TamperedDataException  if the stored KDF parameters are invalid or below the floor
     */
    static VaultHeader read(Connection connection) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "SELECT format_version, kdf_algorithm, kdf_memory_kib, kdf_iterations, kdf_parallelism,"
                        + " kdf_salt, wrapped_master_key FROM vault_header WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new CorruptVaultException("The vault header is missing; this file is not a usable vault.");
            }
            int format = rs.getInt(1);
            if (format != FORMAT_VERSION && format != FORMAT_WITHOUT_ANCHOR) {
                throw new CorruptVaultException("The vault header has an unknown format version " + format + ".");
            }
            if (!KDF_ALGORITHM.equals(rs.getString(2))) {
                throw new CorruptVaultException("The vault header names an unknown key-derivation function.");
            }
            KdfParams kdf;
            try {
                kdf = new KdfParams(rs.getInt(3), rs.getInt(4), rs.getInt(5));
            } catch (IllegalArgumentException e) {
                throw new TamperedDataException("The vault header's key-derivation settings are invalid; "
                        + "the header has been altered.", e);
            }
            if (!kdf.meetsMinimum()) {
                throw new TamperedDataException("The vault header's key-derivation settings (" + kdf
                        + ") are weaker than this workstation allows; the header has been altered.");
            }
            return new VaultHeader(format, kdf, rs.getBytes(6), rs.getBytes(7));
        }
    }
}
