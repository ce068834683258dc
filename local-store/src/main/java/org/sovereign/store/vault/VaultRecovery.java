package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.CanonicalEncoding;
import org.sovereign.store.vault.crypto.Hex;
import org.sovereign.store.vault.crypto.KeyDerivation;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.KeyWrap;
import org.sovereign.store.vault.crypto.RecoveryCode;
import org.sovereign.store.vault.crypto.Secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The optional recovery key: a second wrap of the master key (table {@code vault_recovery}).
 *
 * <pre>
 *   secret     = 32 random bytes, shown once as a {@link RecoveryCode}
 *   wrapKey    = KeyDerivation.derive(secret, "recovery-key-wrap")      (HMAC-SHA256, domain-separated)
 *   wrapped    = KeyWrap(wrapKey, master, id "recovery", purpose "recovery",
 *                        binding = ("sovereign.vault.recovery.v1", format version, device public key, recovery id))
 * </pre>
 * No Argon2id here: the secret is 256 bits of full entropy, so guessing it is hopeless however fast each guess is;
 * stretching only protects low-entropy passphrases. The binding ties the wrap to this vault (its device key), to the
 * recovery purpose and to this format version, so it cannot be replayed as the passphrase wrap or into another vault.
 */
final class VaultRecovery {
    static final String KEY_ID = "recovery";
    static final String PURPOSE = "recovery";
    static final int FORMAT_VERSION = 1;

    private VaultRecovery() {
    }

    /** A stored recovery wrap. */
    record Row(String recoveryId, byte[] wrappedMasterKey) {
    }

    static byte[] binding(byte[] devicePublicKey, String recoveryId) {
        return CanonicalEncoding.of("sovereign.vault.recovery.v1").add(FORMAT_VERSION).add(devicePublicKey)
                .add(recoveryId).toBytes();
    }

    /**
     * Makes a new recovery secret, wraps {@code master} under it and replaces any earlier recovery row in one
     * statement. Returns the code to show once (the caller wipes it).
     */
    static char[] create(Vault vault, KeyMaterial master) {
        byte[] secret = new byte[RecoveryCode.SECRET_LENGTH];
        vault.random().nextBytes(secret);
        byte[] idBytes = new byte[8];
        vault.random().nextBytes(idBytes);
        String recoveryId = Hex.encode(idBytes);
        byte[] publicKey = vault.deviceIdentity().publicKey();
        try (KeyMaterial secretKey = KeyMaterial.copyOf(secret);
             KeyMaterial wrapKey = KeyDerivation.derive(secretKey, "recovery-key-wrap")) {
            byte[] wrapped = vault.keyWrap().wrap(wrapKey, master, KEY_ID, PURPOSE, binding(publicKey, recoveryId));
            vault.withConnection("store the recovery key", c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO vault_recovery"
                        + " (id, recovery_id, wrapped_master_key, created_at) VALUES (1, ?, ?, ?)")) {
                    ps.setString(1, recoveryId);
                    ps.setBytes(2, wrapped);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                Sql.execute(c, "PRAGMA wal_checkpoint(TRUNCATE)"); // the replaced wrap does not linger in the WAL
                return null;
            });
            return RecoveryCode.format(secret);
        } finally {
            Secrets.wipe(secret);
        }
    }

    /** Deletes the recovery wrap ({@code secure_delete} zeroes it). Returns whether there was one. */
    static boolean remove(Vault vault) {
        return vault.withConnection("remove the recovery key", c -> {
            boolean removed;
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM vault_recovery WHERE id = 1")) {
                removed = ps.executeUpdate() == 1;
            }
            Sql.execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return removed;
        });
    }

    static Optional<Row> read(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT recovery_id, wrapped_master_key FROM vault_recovery WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(new Row(rs.getString(1), rs.getBytes(2))) : Optional.empty();
        }
    }

    /**
     * Reads a typed code and unwraps the master key with it; the caller owns the result.
     *
     * @throws MalformedRecoveryKeyException on a typo (checksum) or a malformed code
     * @throws WrongRecoveryKeyException     if the code is well-formed but does not open this vault's wrap
     * @throws VaultException                if the vault has no recovery key
     */
    static KeyMaterial unwrap(Vault vault, KeyWrap keyWrap, char[] code) {
        byte[] secret;
        try {
            secret = RecoveryCode.parse(code);
        } catch (RecoveryCode.MalformedCodeException e) {
            throw new MalformedRecoveryKeyException(e.getMessage());
        }
        try (KeyMaterial secretKey = KeyMaterial.copyOf(secret);
             KeyMaterial wrapKey = KeyDerivation.derive(secretKey, "recovery-key-wrap")) {
            Row row = vault.withConnection("read the recovery key", VaultRecovery::read)
                    .orElseThrow(() -> new VaultException("This vault has no recovery key. Nothing was changed."));
            byte[] publicKey = vault.deviceIdentity().publicKey();
            try {
                return keyWrap.unwrap(wrapKey, row.wrappedMasterKey(), KEY_ID, PURPOSE, binding(publicKey, row.recoveryId()));
            } catch (TamperedDataException e) {
                throw new WrongRecoveryKeyException();
            }
        } finally {
            Secrets.wipe(secret);
        }
    }
}
