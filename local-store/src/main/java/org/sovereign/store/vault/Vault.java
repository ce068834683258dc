package org.sovereign.store.vault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.store.audit.log.AuditStore;
import org.sovereign.store.fs.PrivateFiles;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.AeadContext;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.KeyWrap;
import org.sovereign.store.vault.crypto.Secrets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The encrypted vault: one SQLite file (WAL journal, {@code secure_delete}, foreign keys on).
 *
 * <p>Key hierarchy: passphrase &rarr; Argon2id &rarr; key-encryption key (never stored) &rarr; unwraps the
 * random 256-bit master key &rarr; unwraps one data key per {@link Scope}. The master-key wrap
 * authenticates the header's format version, KDF parameters and salt, so altering any of them makes
 * unlocking fail.
 *
 * <p>A {@code Vault} is a <em>locked</em> handle on an open file: it exposes only non-secret facts.
 * {@link #unlock(char[])} returns a {@link VaultSession} that holds the keys. Closing the vault locks
 * every session it handed out and closes the file. Thread-safe: database access is serialised on the
 * vault. Passphrase arrays passed in stay owned by the caller, who should wipe them after the call;
 * the vault wipes every copy it makes.
 */
public final class Vault implements AutoCloseable {
    /** SQLite {@code application_id} that marks a file as a Sovereign vault ("SVVT"). */
    static final int APPLICATION_ID = 0x53565654;
    /** Associated data of the encrypted device private key. */
    static final AeadContext DEVICE_KEY_CONTEXT =
            new AeadContext("device_identity", 1, "encrypted_private_key", VaultHeader.MASTER_KEY_ID);

    private static final Logger LOG = LoggerFactory.getLogger(Vault.class);

    private final Path file;
    private final Connection connection;
    private final SecureRandom random;
    private final Aead aead;
    private final KeyWrap keyWrap;
    private final List<VaultSession> sessions = new ArrayList<>();
    private final VaultLock lock;
    private boolean closed;

    private Vault(Path file, Connection connection, SecureRandom random, VaultLock lock) {
        this.file = file;
        this.connection = connection;
        this.lock = lock;
        this.random = random;
        this.aead = new Aead(random);
        this.keyWrap = new KeyWrap(aead);
    }

    /**
     * Creates a new vault file with a fresh master key and device identity, and returns it locked.
     * Blocks for one Argon2id derivation.
     *
     * @param file       the vault file; must not exist yet (parent directories are created)
     * @param passphrase the passphrase; stays owned by the caller
     * @param kdfParams  Argon2id cost; must meet {@link KdfParams#meetsMinimum()}
     * @throws VaultException if the file exists or cannot be written (a partial file is removed)
     */
    public static Vault create(Path file, char[] passphrase, KdfParams kdfParams) {
        requireNonEmpty(passphrase);
        if (!kdfParams.meetsMinimum()) {
            throw new IllegalArgumentException("Key-derivation settings " + kdfParams + " are below the minimum "
                    + KdfParams.MIN_MEMORY_KIB + " KiB");
        }
        if (Files.exists(file)) {
            throw new VaultException("A file already exists at " + file + "; refusing to overwrite it.");
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                PrivateFiles.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new VaultException("The vault could not be created at " + file + ": " + e.getMessage(), e);
        }
        VaultLock lock = VaultLock.acquire(file);
        Connection connection = null;
        boolean created = false;
        try {
            if (Files.exists(file)) { // created by another process just now
                throw new VaultException("A file already exists at " + file + "; refusing to overwrite it.");
            }
            PrivateFiles.createEmpty(file); // SQLite gives its -wal and -shm files the database file's mode
            created = true;
            connection = connect(file);
            configure(connection);
            Migrations.migrate(connection);
            tightenFiles(file);
            SecureRandom random = new SecureRandom();
            Vault vault = new Vault(file, connection, random, lock);
            vault.initialise(passphrase, kdfParams);
            return vault;
        } catch (SQLException | IOException | RuntimeException e) {
            closeQuietly(connection);
            if (created) {
                deletePartial(file);
            }
            lock.close();
            if (e instanceof VaultException ve) {
                throw ve;
            }
            if (e instanceof SQLException se) {
                throw Sql.translate("be created", se);
            }
            if (e instanceof IOException io) {
                throw new VaultException("The vault could not be created at " + file + ": " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    private void initialise(char[] passphrase, KdfParams kdfParams) throws SQLException {
        byte[] salt = Argon2idKdf.newSalt(random);
        byte[] pkcs8 = null;
        try (KeyMaterial kek = Argon2idKdf.deriveKey(passphrase, salt, kdfParams);
             KeyMaterial master = KeyMaterial.random(random)) {
            byte[] wrappedMaster = keyWrap.wrap(kek, master, VaultHeader.MASTER_KEY_ID,
                    VaultHeader.MASTER_KEY_PURPOSE, VaultHeader.binding(VaultHeader.FORMAT_VERSION, kdfParams, salt));
            KeyPair device = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            pkcs8 = device.getPrivate().getEncoded();
            byte[] encryptedPrivate = aead.seal(master, pkcs8, DEVICE_KEY_CONTEXT.encode());
            byte[] rawPublic = DeviceIdentity.rawFromX509(device.getPublic().getEncoded());
            long now = System.currentTimeMillis();
            Sql.inTransaction(connection, () -> {
                Sql.execute(connection, "PRAGMA application_id = " + APPLICATION_ID);
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO vault_header (id, format_version, kdf_algorithm, kdf_memory_kib, kdf_iterations,"
                                + " kdf_parallelism, kdf_salt, wrapped_master_key, created_at, updated_at)"
                                + " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setInt(1, VaultHeader.FORMAT_VERSION);
                    ps.setString(2, VaultHeader.KDF_ALGORITHM);
                    ps.setInt(3, kdfParams.memoryKiB());
                    ps.setInt(4, kdfParams.iterations());
                    ps.setInt(5, kdfParams.parallelism());
                    ps.setBytes(6, salt);
                    ps.setBytes(7, wrappedMaster);
                    ps.setLong(8, now);
                    ps.setLong(9, now);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = connection.prepareStatement(
                        "INSERT INTO device_identity (id, algorithm, public_key, encrypted_private_key, created_at)"
                                + " VALUES (1, 'Ed25519', ?, ?, ?)")) {
                    ps.setBytes(1, rawPublic);
                    ps.setBytes(2, encryptedPrivate);
                    ps.setLong(3, now);
                    ps.executeUpdate();
                }
                AuditAnchorRow.write(connection, AuditAnchorRow.seal(aead, master, AuditAnchorRow.empty()));
            });
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is not available in this Java runtime", e);
        } finally {
            Secrets.wipe(pkcs8);
        }
    }

    /**
     * Takes the exclusive lock of a vault file without opening it, for replacing the file (a restore) while no other
     * process, and no other handle in this one, has it open. Close the result to release it.
     *
     * @throws VaultInUseException if the vault is open elsewhere
     */
    public static VaultLock lockForReplacement(Path file) {
        return VaultLock.acquire(file);
    }

    /**
     * Opens an existing vault, locked. Applies pending schema migrations (in one transaction).
     *
     * @throws CorruptVaultException       if the file is truncated, damaged or not a vault
     * @throws UnsupportedSchemaException  if the file comes from a newer version (file left untouched)
     * @throws TamperedDataException       if the header's KDF settings were weakened below the floor
     */
    public static Vault open(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new VaultException("There is no vault file at " + file + ".");
        }
        VaultLock lock = VaultLock.acquire(file);
        Connection connection = null;
        try {
            int headerVersion = SqliteFile.verify(file);
            if (headerVersion > Migrations.latestVersion()) {
                throw new UnsupportedSchemaException(headerVersion, Migrations.latestVersion());
            }
            tightenFiles(file);
            connection = connect(file);
            int version = Migrations.currentVersion(connection);
            if (version > Migrations.latestVersion()) {
                throw new UnsupportedSchemaException(version, Migrations.latestVersion());
            }
            if (version == 0 && Files.exists(file.resolveSibling(file.getFileName() + "-wal"))) {
                // the vault's commits live in its write-ahead log until SQLite copies them into the file; a damaged or
                // truncated log leaves a file with no vault in it
                throw new CorruptVaultException("The vault's recent changes, kept in " + file.getFileName()
                        + "-wal beside it, are damaged or cut short, so " + file.getFileName()
                        + " alone holds no usable vault. Restore a backup (sovereign vault restore).");
            }
            if (version == 0 || Sql.queryInt(connection, "PRAGMA application_id") != APPLICATION_ID) {
                throw new CorruptVaultException("This file is not a Sovereign vault.");
            }
            configure(connection);
            Migrations.migrate(connection);
            VaultHeader.read(connection);
            tightenFiles(file);
            return new Vault(file, connection, new SecureRandom(), lock);
        } catch (SQLException e) {
            closeQuietly(connection);
            lock.close();
            throw Sql.translate("open the file", e);
        } catch (RuntimeException e) {
            closeQuietly(connection);
            lock.close();
            throw e;
        }
    }

    /**
     * Unlocks the vault. Blocks for one Argon2id derivation (about a second with default settings).
     *
     * @param passphrase stays owned by the caller, who should wipe it afterwards
     * @return a session holding the master key; the caller owns it and should {@link VaultSession#lock()} it
     * @throws WrongPassphraseException if the passphrase is wrong or the header was altered; nothing
     *                                  on disk changes
     */
    public VaultSession unlock(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        VaultHeader header = withConnection("read the vault header", VaultHeader::read);
        KeyMaterial master = header.formatVersion() == VaultHeader.FORMAT_WITHOUT_ANCHOR
                ? unwrapAndUpgrade(header, passphrase) : unwrapMaster(header, passphrase);
        synchronized (this) {
            if (closed) {
                master.close();
                throw new VaultException("The vault has been closed.");
            }
            VaultSession session = new VaultSession(this, master);
            sessions.add(session);
            return session;
        }
    }

    /**
     * A vault from before audit anchors (format 1): unwraps the master key, then in one transaction seals an anchor
     * for the log as it is now (this first unlock trusts what it finds; the log is verified right after) and re-wraps
     * the master key under the same key-encryption key with the format-2 binding. The caller owns the result.
     */
    private KeyMaterial unwrapAndUpgrade(VaultHeader header, char[] passphrase) {
        try (KeyMaterial kek = Argon2idKdf.deriveKey(passphrase, header.salt(), header.kdf())) {
            KeyMaterial master = unwrapWithKek(keyWrap, kek, header);
            try {
                byte[] wrapped = keyWrap.wrap(kek, master, VaultHeader.MASTER_KEY_ID, VaultHeader.MASTER_KEY_PURPOSE,
                        VaultHeader.binding(VaultHeader.FORMAT_VERSION, header.kdf(), header.salt()));
                withConnection("upgrade the vault header", c -> {
                    Sql.inTransaction(c, () -> {
                        AuditAnchorRow.write(c, AuditAnchorRow.seal(aead, master, AuditAnchorRow.adopt(c)));
                        try (PreparedStatement ps = c.prepareStatement("UPDATE vault_header SET format_version = ?,"
                                + " wrapped_master_key = ?, updated_at = ? WHERE id = 1 AND wrapped_master_key = ?")) {
                            ps.setInt(1, VaultHeader.FORMAT_VERSION);
                            ps.setBytes(2, wrapped);
                            ps.setLong(3, System.currentTimeMillis());
                            ps.setBytes(4, header.wrappedMasterKey());
                            if (ps.executeUpdate() != 1) {
                                throw new VaultException("The vault header was changed elsewhere at the same time; nothing was changed here.");
                            }
                        }
                    });
                    return null;
                });
                LOG.info("Vault {} upgraded to format {} (audit anchor recorded)", file.getFileName(), VaultHeader.FORMAT_VERSION);
                return master;
            } catch (RuntimeException e) {
                master.close();
                throw e;
            }
        }
    }

    /** Derives the KEK and unwraps the master key; the caller owns the result. */
    KeyMaterial unwrapMaster(VaultHeader header, char[] passphrase) {
        return unwrapMaster(keyWrap, header, passphrase);
    }

    /** Derives the KEK from the header's settings and unwraps the master key; the caller owns the result. */
    static KeyMaterial unwrapMaster(KeyWrap keyWrap, VaultHeader header, char[] passphrase) {
        try (KeyMaterial kek = Argon2idKdf.deriveKey(passphrase, header.salt(), header.kdf())) {
            return unwrapWithKek(keyWrap, kek, header);
        }
    }

    /**
     * Unwraps the master key with a derived KEK.
     *
     * @throws WrongPassphraseException if it does not open
     * @throws TamperedDataException    if the header claims format 1 but the wrap is bound to format 2 (the format was
     *                                  set back to hide the vault's audit anchor)
     */
    private static KeyMaterial unwrapWithKek(KeyWrap keyWrap, KeyMaterial kek, VaultHeader header) {
        try {
            return keyWrap.unwrap(kek, header.wrappedMasterKey(), VaultHeader.MASTER_KEY_ID,
                    VaultHeader.MASTER_KEY_PURPOSE, header.binding());
        } catch (TamperedDataException e) {
            if (header.formatVersion() == VaultHeader.FORMAT_WITHOUT_ANCHOR && opensAsCurrentFormat(keyWrap, kek, header)) {
                throw new TamperedDataException("The vault header was set back to an older format, which would hide"
                        + " the vault's record of its audit log: the file was tampered with.");
            }
            throw new WrongPassphraseException();
        }
    }

    private static boolean opensAsCurrentFormat(KeyWrap keyWrap, KeyMaterial kek, VaultHeader header) {
        try (KeyMaterial ignored = keyWrap.unwrap(kek, header.wrappedMasterKey(), VaultHeader.MASTER_KEY_ID,
                VaultHeader.MASTER_KEY_PURPOSE, VaultHeader.binding(VaultHeader.FORMAT_VERSION, header.kdf(), header.salt()))) {
            return true;
        } catch (TamperedDataException e) {
            return false;
        }
    }

    /**
     * Re-wraps {@code master} under a key derived from {@code replacement} with a new salt, in one UPDATE of the header
     * row that succeeds only if the stored wrap is still {@code currentWrap}: atomic, and independent of how much data
     * the vault holds. Then checkpoints the WAL so the old wrap does not linger there.
     */
    void replacePassphraseWrap(KeyMaterial master, char[] replacement, KdfParams kdfParams, byte[] currentWrap) {
        replacePassphraseWrap(master, replacement, kdfParams, currentWrap, false);
    }

    /** With {@code adoptAnchor} (a format-1 vault): also seals an anchor for the log as it is, in the same transaction. */
    void replacePassphraseWrap(KeyMaterial master, char[] replacement, KdfParams kdfParams, byte[] currentWrap,
                               boolean adoptAnchor) {
        byte[] salt = Argon2idKdf.newSalt(random);
        byte[] wrapped;
        try (KeyMaterial kek = Argon2idKdf.deriveKey(replacement, salt, kdfParams)) {
            wrapped = keyWrap.wrap(kek, master, VaultHeader.MASTER_KEY_ID, VaultHeader.MASTER_KEY_PURPOSE,
                    VaultHeader.binding(VaultHeader.FORMAT_VERSION, kdfParams, salt));
        }
        withConnection("change the passphrase", c -> {
            Sql.inTransaction(c, () -> {
                if (adoptAnchor) {
                    AuditAnchorRow.write(c, AuditAnchorRow.seal(aead, master, AuditAnchorRow.adopt(c)));
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE vault_header SET kdf_memory_kib = ?, kdf_iterations = ?, kdf_parallelism = ?,"
                                + " kdf_salt = ?, wrapped_master_key = ?, updated_at = ?, format_version = ?"
                                + " WHERE id = 1 AND wrapped_master_key = ?")) {
                    ps.setInt(1, kdfParams.memoryKiB());
                    ps.setInt(2, kdfParams.iterations());
                    ps.setInt(3, kdfParams.parallelism());
                    ps.setBytes(4, salt);
                    ps.setBytes(5, wrapped);
                    ps.setLong(6, System.currentTimeMillis());
                    ps.setInt(7, VaultHeader.FORMAT_VERSION);
                    ps.setBytes(8, currentWrap);
                    if (ps.executeUpdate() != 1) {
                        throw new VaultException("The passphrase was changed elsewhere at the same time; nothing was changed here.");
                    }
                }
            });
            Sql.execute(c, "PRAGMA wal_checkpoint(TRUNCATE)");
            return null;
        });
    }

    /** Whether this vault has a recovery key (public: only that a recovery wrap exists). */
    public boolean hasRecoveryKey() {
        return withConnection("read the recovery key", c -> VaultRecovery.read(c).isPresent());
    }

    /**
     * Sets a new passphrase with the recovery key, for a person who forgot theirs: the recovery key unwraps the master
     * key, which is re-wrapped under {@code newPassphrase} (same atomic header update as a passphrase change, with the
     * header's current Argon2id settings). The recovery key keeps working afterwards. Blocks for one Argon2id
     * derivation. Both arrays stay owned by the caller.
     *
     * @return an unlocked session (the caller owns it)
     * @throws MalformedRecoveryKeyException on a typo caught by the code's checksum; nothing changes
     * @throws WrongRecoveryKeyException     if the code does not open this vault; nothing changes
     * @throws VaultException                if the vault has no recovery key; nothing changes
     */
    public VaultSession recover(char[] recoveryKey, char[] newPassphrase) {
        Objects.requireNonNull(recoveryKey, "recoveryKey");
        requireNonEmpty(newPassphrase);
        VaultHeader header = withConnection("read the vault header", VaultHeader::read);
        KeyMaterial master = VaultRecovery.unwrap(this, keyWrap, recoveryKey);
        try {
            replacePassphraseWrap(master, newPassphrase, header.kdf(), header.wrappedMasterKey(),
                    header.formatVersion() == VaultHeader.FORMAT_WITHOUT_ANCHOR);
        } catch (RuntimeException e) {
            master.close();
            throw e;
        }
        synchronized (this) {
            if (closed) {
                master.close();
                throw new VaultException("The vault has been closed.");
            }
            VaultSession session = new VaultSession(this, master);
            sessions.add(session);
            return session;
        }
    }

    /** The device's public identity (available while locked). */
    public DeviceIdentity deviceIdentity() {
        return withConnection("read the device identity", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT public_key FROM device_identity WHERE id = 1");
                 ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new CorruptVaultException("The vault has no device identity.");
                }
                return new DeviceIdentity(rs.getBytes(1));
            }
        });
    }

    /** The Argon2id settings currently stored in the header. */
    public KdfParams kdfParams() {
        return withConnection("read the vault header", VaultHeader::read).kdf();
    }

    /**
     * Runs SQLite's {@code PRAGMA quick_check} over the whole file (reads every page; blocks
     * accordingly). Encrypted content is checked separately, on every read, by its authentication tag.
     *
     * @throws CorruptVaultException naming the first problems found
     */
    public void checkIntegrity() {
        List<String> problems = withConnection("check the file", c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("PRAGMA quick_check(5)"); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        if (!problems.equals(List.of("ok"))) {
            throw new CorruptVaultException("The vault file is damaged: " + String.join("; ", problems)
                    + ". Restore it from a backup.");
        }
    }

    /** The schema version of the open file. */
    public int schemaVersion() {
        return withConnection("read the schema version", Migrations::currentVersion);
    }

    /** The audit log's storage in this file; readable while locked (entries hold no content). */
    public AuditStore auditStore() {
        return new VaultAuditStore(this);
    }

    public Path file() {
        return file;
    }

    /** Locks every session from this vault and closes the file. Idempotent. */
    @Override
    public void close() {
        List<VaultSession> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            open = new ArrayList<>(sessions);
        }
        open.forEach(VaultSession::lock);
        synchronized (this) {
            closed = true;
            closeQuietly(connection);
            lock.close();
        }
    }

    /** Mode 0600 for the vault file and SQLite's files beside it (POSIX; a no-op elsewhere). */
    private static void tightenFiles(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            PrivateFiles.tighten(file.resolveSibling(file.getFileName() + suffix));
        }
    }

    @Override
    public String toString() {
        return "Vault[" + file + "]";
    }

    // ---- package-private plumbing for VaultSession ----

    /** A database call. */
    interface SqlCall<T> {
        T call(Connection connection) throws SQLException;
    }

    /** Runs {@code call} on the connection, serialised, translating SQL failures to vault exceptions. */
    synchronized <T> T withConnection(String action, SqlCall<T> call) {
        if (closed) {
            throw new VaultException("The vault has been closed.");
        }
        try {
            return call.call(connection);
        } catch (SQLException e) {
            throw Sql.translate(action, e);
        }
    }

    synchronized void forget(VaultSession session) {
        sessions.remove(session);
    }

    synchronized List<VaultSession> sessions() {
        return new ArrayList<>(sessions);
    }

    SecureRandom random() {
        return random;
    }

    Aead aead() {
        return aead;
    }

    KeyWrap keyWrap() {
        return keyWrap;
    }

    /**
     * Makes deleted data unrecoverable from the current files: with {@code secure_delete} already
     * zeroing freed cells, checkpoint the WAL into the main file and truncate it, rebuild the file
     * with {@code VACUUM} (temp store in memory) and truncate the WAL again.
     */
    static void scrub(Connection connection) throws SQLException {
        Sql.execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
        Sql.execute(connection, "VACUUM");
        Sql.execute(connection, "PRAGMA wal_checkpoint(TRUNCATE)");
    }

    /** Refuses an empty passphrase (a vault must be locked by something). */
    static void requireNonEmpty(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("The passphrase must not be empty");
        }
    }

    private static Connection connect(Path file) throws SQLException {
        return SqliteNative.connect(file);
    }

    private static void configure(Connection connection) throws SQLException {
        Sql.execute(connection, "PRAGMA busy_timeout = 5000");
        Sql.execute(connection, "PRAGMA foreign_keys = ON");
        Sql.execute(connection, "PRAGMA secure_delete = ON");
        Sql.execute(connection, "PRAGMA temp_store = MEMORY");
        Sql.execute(connection, "PRAGMA journal_mode = WAL");
        Sql.execute(connection, "PRAGMA synchronous = FULL");
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the vault database failed: {}", e.getMessage());
        }
    }

    private static void deletePartial(Path file) {
        for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Could not remove partially created vault file {}: {}", p, e.getMessage());
            }
        }
    }
}
