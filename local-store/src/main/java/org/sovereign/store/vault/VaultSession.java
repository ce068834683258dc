package org.sovereign.store.vault;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.sovereign.store.audit.log.AuditAnchor;
import org.sovereign.store.audit.log.AuditStore;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.consent.ConsentEventStore;
import org.sovereign.store.vault.crypto.AeadContext;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.BlindIndex;
import org.sovereign.store.vault.crypto.CanonicalEncoding;
import org.sovereign.store.vault.crypto.Hex;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.store.vault.crypto.KeyDerivation;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.Secrets;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * An unlocked vault: holds the master key and the data keys it has unwrapped.
 *
 * <p>Ownership: the session owns every key it holds and wipes them all in {@link #lock()} (also called
 * by {@link #close()} and by {@link Vault#close()}). Keys never leave the session; callers get
 * ciphertexts, plaintexts (which they own and should wipe) or signatures. After locking, every
 * method except {@link #isLocked()} and {@link #lock()} throws {@link VaultLockedException}.
 *
 * <p>Thread-safe: database work is serialised on the owning {@link Vault}, and {@link #lock()} waits
 * for operations in progress, so no operation ever runs with a half-wiped key.
 */
public final class VaultSession implements AutoCloseable {

    /** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410): version 0, algorithm 1.3.101.112, OCTET STRING(32). */
    private static final byte[] ED25519_PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    /** Purpose bound into every scope data-key wrap. */
    static final String DATA_KEY_PURPOSE = "scope-data-key";
    /** Table and column of generic items. */
    static final String ITEM_TABLE = "item";
    static final String ITEM_COLUMN = "ciphertext";

    private static final Pattern KIND = Pattern.compile("[a-z][a-z0-9_-]{0,63}");

    private final Vault vault;
    /** Guarded by {@link #keysLock}: written only under the write lock. */
    private volatile KeyMaterial master;
    /** Held (read) by every operation that uses keys; held (write) by {@link #lock()}. */
    private final ReentrantReadWriteLock keysLock = new ReentrantReadWriteLock();
    /** Guarded by itself (not by the session), so other sessions can drop erased keys. */
    private final Map<Long, ScopeKey> dataKeys = new HashMap<>();
    /** Blind indexes handed out; closed on lock. Guarded by {@link #dataKeys}. */
    private final List<BlindIndex> issuedIndexes = new ArrayList<>();
    /** Run once after the keys are wiped (caches of decrypted data drop themselves). Guarded by itself. */
    private final List<Runnable> lockListeners = new ArrayList<>();

    /** An unwrapped data key and its public id. */
    private record ScopeKey(String keyId, KeyMaterial key) {
    }

    VaultSession(Vault vault, KeyMaterial master) {
        this.vault = vault;
        this.master = master;
    }

    // ---- lifecycle ----

    public boolean isLocked() {
        return master == null;
    }

    /**
     * Wipes the master key, every cached data key and every blind index handed out. Waits for
     * operations in progress to finish. Idempotent.
     */
    public void lock() {
        keysLock.writeLock().lock();
        try {
            if (master == null) {
                return;
            }
            synchronized (dataKeys) {
                dataKeys.values().forEach(k -> k.key().close());
                dataKeys.clear();
                issuedIndexes.forEach(BlindIndex::close);
                issuedIndexes.clear();
            }
            master.close();
            master = null;
        } finally {
            keysLock.writeLock().unlock();
        }
        vault.forget(this);
        List<Runnable> listeners;
        synchronized (lockListeners) {
            listeners = List.copyOf(lockListeners);
            lockListeners.clear();
        }
        listeners.forEach(Runnable::run);
    }

    /**
     * Runs {@code action} once when this session locks, after its keys are wiped: for caches of decrypted data held
     * outside the vault (such as the library's in-memory vectors), which must be wiped too. Runs it at once if the
     * session is already locked.
     */
    public void onLock(Runnable action) {
        synchronized (lockListeners) {
            if (master != null) {
                lockListeners.add(action);
                return;
            }
        }
        action.run();
    }

    /** Same as {@link #lock()}. */
    @Override
    public void close() {
        lock();
    }

    /** Runs {@code op} while the keys cannot be wiped; throws if the session is locked. */
    private <T> T guarded(Supplier<T> op) {
        keysLock.readLock().lock();
        try {
            if (master == null) {
                throw new VaultLockedException();
            }
            return op.get();
        } finally {
            keysLock.readLock().unlock();
        }
    }

    /** The master key; only call inside {@link #guarded}. */
    private KeyMaterial master() {
        KeyMaterial key = master;
        if (key == null) {
            throw new VaultLockedException();
        }
        return key;
    }

    // ---- scopes ----

    /**
     * Creates a scope with a fresh random data key, wrapped under the master key with the scope's id,
     * kind and key id bound into the wrap.
     *
     * @param kind lower-case label such as {@code source}, {@code conversation} or {@code consent}
     */
    public Scope createScope(String kind) {
        return guarded(() -> {
            checkKind(kind);
            KeyMaterial masterKey = master();
            String keyId = "scope-key-" + Hex.encode(randomBytes(12));
            long now = System.currentTimeMillis();
            try (KeyMaterial dataKey = KeyMaterial.random(vault.random())) {
                long id = vault.withConnection("create a scope", c -> {
                    long[] out = new long[1];
                    Sql.inTransaction(c, () -> {
                        try (PreparedStatement ps = c.prepareStatement(
                                "INSERT INTO scope (kind, key_id, wrapped_key, created_at) VALUES (?, ?, x'', ?)")) {
                            ps.setString(1, kind);
                            ps.setString(2, keyId);
                            ps.setLong(3, now);
                            ps.executeUpdate();
                        }
                        out[0] = lastInsertRowId(c);
                        byte[] wrapped = vault.keyWrap().wrap(masterKey, dataKey, keyId, DATA_KEY_PURPOSE,
                                scopeBinding(out[0], kind));
                        try (PreparedStatement ps = c.prepareStatement("UPDATE scope SET wrapped_key = ? WHERE id = ?")) {
                            ps.setBytes(1, wrapped);
                            ps.setLong(2, out[0]);
                            ps.executeUpdate();
                        }
                    });
                    return out[0];
                });
                return new Scope(id, kind, keyId, Instant.ofEpochMilli(now), Optional.empty());
            }
        });
    }

    /** All scopes, erased ones included, by id. */
    public List<Scope> scopes() {
        return guarded(() -> {
            return vault.withConnection("list scopes", c -> {
                List<Scope> out = new ArrayList<>();
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT id, kind, key_id, created_at, erased_at FROM scope ORDER BY id")) {
                    while (rs.next()) {
                        out.add(scopeFrom(rs));
                    }
                }
                return out;
            });
        });
    }

    /** One scope. */
    public Scope scope(long scopeId) {
        return guarded(() -> {
            return vault.withConnection("read a scope", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, kind, key_id, created_at, erased_at FROM scope WHERE id = ?")) {
                    ps.setLong(1, scopeId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new UnknownScopeException(scopeId);
                        }
                        return scopeFrom(rs);
                    }
                }
            });
        });
    }

    /**
     * Crypto-shreds a scope: deletes its items and its wrapped data key in one transaction (the scope
     * row stays as a tombstone), wipes cached copies of the key in every session, then checkpoints the
     * WAL and vacuums so the key bytes do not linger in free pages or the WAL. Afterwards nothing
     * encrypted under that key can be decrypted from this file, with or without the passphrase
     * (copies of the file taken earlier, such as backups, still hold the wrapped key). Idempotent.
     * Blocks for the VACUUM, which rewrites the whole file.
     */
    public void eraseScope(long scopeId) {
        eraseScope(scopeId, Runnable::run);
    }

    /**
     * As {@link #eraseScope(long)}, but the deleting transaction is handed to {@code commit}, which must run it exactly
     * once, and may run it inside a transaction of its own on this vault (its writes then commit together with the
     * erasure: {@link org.sovereign.store.audit.log.AuditLog#appendWith}). The cached keys are forgotten and the file
     * scrubbed after {@code commit} returns. Nothing is handed over when the scope is erased already.
     *
     * @return whether the scope was erased by this call
     */
    public boolean eraseScope(long scopeId, Consumer<Runnable> commit) {
        // Not inside guarded(): commit may take the audit log's lock, whose checkpointer takes this session's key lock.
        if (scope(scopeId).isErased()) { // scope() refuses a locked session
            return false;
        }
        commit.accept(() -> vault.withConnection("erase a scope", c -> {
            Sql.inTransaction(c, () -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE scope_id = ?")) {
                    ps.setLong(1, scopeId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE scope SET wrapped_key = NULL, erased_at = ? WHERE id = ? AND erased_at IS NULL")) {
                    ps.setLong(1, System.currentTimeMillis());
                    ps.setLong(2, scopeId);
                    ps.executeUpdate();
                }
            });
            return null;
        }));
        for (VaultSession session : vault.sessions()) {
            session.forgetScope(scopeId);
        }
        vault.withConnection("scrub the vault file", c -> {
            Vault.scrub(c);
            return null;
        });
        return true;
    }

    /** Whether this session holds the scope's unwrapped key now (false once the scope is erased or the vault locked). */
    boolean holdsKey(long scopeId) {
        synchronized (dataKeys) {
            return dataKeys.containsKey(scopeId);
        }
    }

    private void forgetScope(long scopeId) {
        synchronized (dataKeys) {
            ScopeKey cached = dataKeys.remove(scopeId);
            if (cached != null) {
                cached.key().close();
            }
        }
    }

    // ---- cells ----

    /**
     * Encrypts a value for the given cell under the scope's data key; the associated data binds
     * (table, row id, column, scope key id). The caller keeps ownership of {@code plaintext}.
     *
     * @throws ScopeErasedException  if the scope was erased
     * @throws UnknownScopeException if there is no such scope
     */
    public byte[] encrypt(long scopeId, CellAddress cell, byte[] plaintext) {
        return guarded(() -> {
            ScopeKey key = scopeKey(scopeId);
            return vault.aead().seal(key.key(), plaintext, context(cell, key).encode());
        });
    }

    /**
     * Decrypts a value made by {@link #encrypt} for the same scope and cell. The caller owns the
     * returned plaintext and should wipe it when done.
     *
     * @throws TamperedDataException if the value was altered or belongs to another cell or scope
     * @throws ScopeErasedException  if the scope was erased
     */
    public byte[] decrypt(long scopeId, CellAddress cell, byte[] ciphertext) {
        return guarded(() -> {
            ScopeKey key = scopeKey(scopeId);
            try {
                return vault.aead().open(key.key(), ciphertext, context(cell, key).encode());
            } catch (TamperedDataException e) {
                throw new TamperedDataException("The encrypted value at " + cell.table() + " row " + cell.rowId()
                        + ", column " + cell.column() + " failed its integrity check: it was altered, or it was"
                        + " moved there from another row, column, table or scope.", e);
            }
        });
    }

    private static AeadContext context(CellAddress cell, ScopeKey key) {
        return new AeadContext(cell.table(), cell.rowId(), cell.column(), key.keyId());
    }

    private ScopeKey scopeKey(long scopeId) {
        KeyMaterial masterKey = master();
        synchronized (dataKeys) {
            ScopeKey cached = dataKeys.get(scopeId);
            if (cached != null) {
                return cached;
            }
        }
        ScopeKey loaded = vault.withConnection("read a scope key", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, key_id, wrapped_key FROM scope WHERE id = ?")) {
                ps.setLong(1, scopeId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new UnknownScopeException(scopeId);
                    }
                    byte[] wrapped = rs.getBytes(3);
                    if (wrapped == null) {
                        throw new ScopeErasedException(scopeId);
                    }
                    String keyId = rs.getString(2);
                    try {
                        return new ScopeKey(keyId, vault.keyWrap().unwrap(masterKey, wrapped, keyId,
                                DATA_KEY_PURPOSE, scopeBinding(scopeId, rs.getString(1))));
                    } catch (TamperedDataException e) {
                        throw new TamperedDataException("The data key of scope " + scopeId
                                + " failed its integrity check; the scope record was altered.", e);
                    }
                }
            }
        });
        synchronized (dataKeys) {
            ScopeKey raced = dataKeys.putIfAbsent(scopeId, loaded);
            if (raced != null) {
                loaded.key().close();
                return raced;
            }
            return loaded;
        }
    }

    private static byte[] scopeBinding(long scopeId, String kind) {
        return CanonicalEncoding.of("sovereign.vault.scope.v1").add(scopeId).add(kind).toBytes();
    }

    // ---- items ----

    /**
     * Runs {@code work} as one SQLite transaction: every write it makes through this session (items, keyword terms)
     * commits together with one sync, or, if it throws, none does. Other users of the vault wait meanwhile, so do no
     * slow work inside (run models first). Do not erase scopes or record audit entries inside: they sync on their own.
     */
    public void inTransaction(Runnable work) {
        guarded(() -> vault.withConnection("write several items at once", c -> {
            Sql.inTransaction(c, work::run);
            return null;
        }));
    }

    /**
     * Stores {@code plaintext} encrypted as a new item of the scope. The caller keeps ownership of
     * {@code plaintext}.
     *
     * @return the new item's id
     */
    public long putItem(long scopeId, String kind, byte[] plaintext) {
        return guarded(() -> {
            checkKind(kind);
            ScopeKey key = scopeKey(scopeId);
            long now = System.currentTimeMillis();
            return vault.withConnection("store an item", c -> {
                long[] id = new long[1];
                Sql.inTransaction(c, () -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO item (scope_id, kind, created_at, size, ciphertext) VALUES (?, ?, ?, ?, x'')")) {
                        ps.setLong(1, scopeId);
                        ps.setString(2, kind);
                        ps.setLong(3, now);
                        ps.setLong(4, plaintext.length);
                        ps.executeUpdate();
                    }
                    id[0] = lastInsertRowId(c);
                    byte[] ciphertext = vault.aead().seal(key.key(), plaintext,
                            context(new CellAddress(ITEM_TABLE, id[0], ITEM_COLUMN), key).encode());
                    try (PreparedStatement ps = c.prepareStatement("UPDATE item SET ciphertext = ? WHERE id = ?")) {
                        ps.setBytes(1, ciphertext);
                        ps.setLong(2, id[0]);
                        ps.executeUpdate();
                    }
                });
                return id[0];
            });
        });
    }

    /**
     * Decrypts an item. The caller owns the returned plaintext and should wipe it when done.
     *
     * @return empty if there is no such item
     * @throws TamperedDataException if the ciphertext or its recorded size was altered or moved
     * @throws ScopeErasedException  if the item's scope was erased
     */
    public Optional<byte[]> readItem(long itemId) {
        return guarded(() -> {
            record Row(long scopeId, long size, byte[] ciphertext) {
            }
            Optional<Row> row = vault.withConnection("read an item", c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT scope_id, size, ciphertext FROM item WHERE id = ?")) {
                    ps.setLong(1, itemId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3))) : Optional.empty();
                    }
                }
            });
            if (row.isEmpty()) {
                return Optional.empty();
            }
            byte[] plaintext = decrypt(row.get().scopeId(), new CellAddress(ITEM_TABLE, itemId, ITEM_COLUMN),
                    row.get().ciphertext());
            if (plaintext.length != row.get().size()) {
                Secrets.wipe(plaintext);
                throw new TamperedDataException("Item " + itemId + " does not match its recorded size; its metadata was altered.");
            }
            return Optional.of(plaintext);
        });
    }

    /**
     * Decrypts every item of {@code kind} in a scope, in id order, and hands each to {@code consumer} (plaintext, item
     * id): a few queries of up to 1,000 rows instead of one query per item. Each plaintext is wiped after
     * {@code consumer} returns, so copy what you keep.
     *
     * @throws TamperedDataException if a ciphertext or its recorded size was altered or moved
     */
    public void readItems(long scopeId, String kind, ObjLongConsumer<byte[]> consumer) {
        record Row(long id, long size, byte[] ciphertext) {
        }
        long after = Long.MIN_VALUE;
        while (true) {
            long from = after;
            List<Row> page = guarded(() -> vault.withConnection("read items", c -> {
                List<Row> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT id, size, ciphertext FROM item"
                        + " WHERE scope_id = ? AND kind = ? AND id > ? ORDER BY id LIMIT 1000")) {
                    ps.setLong(1, scopeId);
                    ps.setString(2, kind);
                    ps.setLong(3, from);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new Row(rs.getLong(1), rs.getLong(2), rs.getBytes(3)));
                        }
                    }
                }
                return rows;
            }));
            if (page.isEmpty()) {
                return;
            }
            for (Row row : page) {
                byte[] plaintext = decrypt(scopeId, new CellAddress(ITEM_TABLE, row.id(), ITEM_COLUMN), row.ciphertext());
                try {
                    if (plaintext.length != row.size()) {
                        throw new TamperedDataException("Item " + row.id() + " does not match its recorded size; its metadata was altered.");
                    }
                    consumer.accept(plaintext, row.id());
                } finally {
                    Secrets.wipe(plaintext);
                }
            }
            after = page.get(page.size() - 1).id();
        }
    }

    /** Clear-text metadata of one item. */
    public Optional<ItemInfo> itemInfo(long itemId) {
        return guarded(() -> {
            return vault.withConnection("read an item", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, scope_id, kind, created_at, size FROM item WHERE id = ?")) {
                    ps.setLong(1, itemId);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(itemFrom(rs)) : Optional.empty();
                    }
                }
            });
        });
    }

    /** Metadata of the scope's items, by id. */
    public List<ItemInfo> items(long scopeId) {
        return guarded(() -> {
            return vault.withConnection("list items", c -> {
                List<ItemInfo> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT id, scope_id, kind, created_at, size FROM item WHERE scope_id = ? ORDER BY id")) {
                    ps.setLong(1, scopeId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(itemFrom(rs));
                        }
                    }
                }
                return out;
            });
        });
    }

    /** Deletes an item ({@code secure_delete} zeroes its bytes in the file). Returns whether it existed. */
    public boolean deleteItem(long itemId) {
        return guarded(() -> {
            return vault.withConnection("delete an item", c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM item WHERE id = ?")) {
                    ps.setLong(1, itemId);
                    return ps.executeUpdate() == 1;
                }
            });
        });
    }

    // ---- passphrase, identity, search ----

    /** The Argon2id settings the passphrase is currently derived with (stored in the vault header; not secret). */
    public KdfParams currentKdfParams() {
        return vault.kdfParams();
    }

    /** Same as {@link #changePassphrase(char[], char[], KdfParams)} keeping the current KDF settings. */
    public void changePassphrase(char[] current, char[] replacement) {
        changePassphrase(current, replacement, vault.kdfParams());
    }

    /**
     * Re-wraps the master key under a key derived from {@code replacement} with a new salt, in one
     * UPDATE of the header row: atomic, and independent of how much data the vault holds. Blocks for
     * two Argon2id derivations. Then checkpoints the WAL so the old wrap does not linger there.
     * Both arrays stay owned by the caller.
     *
     * @throws WrongPassphraseException if {@code current} is wrong; nothing changes then
     */
    public void changePassphrase(char[] current, char[] replacement, KdfParams kdfParams) {
        guarded(() -> {
            Vault.requireNonEmpty(replacement);
            if (!kdfParams.meetsMinimum()) {
                throw new IllegalArgumentException("Key-derivation settings " + kdfParams + " are below the minimum");
            }
            KeyMaterial masterKey = master();
            VaultHeader header = vault.withConnection("read the vault header", VaultHeader::read);
            try (KeyMaterial stored = vault.unwrapMaster(header, current)) {
                if (!stored.sameKeyAs(masterKey)) {
                    throw new WrongPassphraseException();
                }
            }
            vault.replacePassphraseWrap(masterKey, replacement, kdfParams, header.wrappedMasterKey());
            return null;
        });
    }

    /**
     * Creates a recovery key for this vault, replacing any earlier one (which stops working): a random 256-bit secret
     * that wraps the master key a second time. Returns it once, as a typable code ({@link
     * org.sovereign.store.vault.crypto.RecoveryCode}); it is not stored anywhere. The caller shows it and wipes the
     * array.
     */
    public char[] createRecoveryKey() {
        return guarded(() -> VaultRecovery.create(vault, master()));
    }

    /** Removes the recovery key, so only the passphrase opens the vault. Returns whether there was one. */
    public boolean removeRecoveryKey() {
        return guarded(() -> VaultRecovery.remove(vault));
    }

    /**
     * The audit log's storage in this vault, which also keeps the sealed audit anchor up to date with every checkpoint
     * it saves (see {@link #auditAnchor()}). Usable while this session is unlocked.
     */
    public AuditStore auditStore() {
        return guarded(() -> new VaultAuditStore(vault, this));
    }

    /**
     * The vault's authenticated record of its latest audit checkpoint (size and root), kept under the master key; empty
     * when the row is missing (it was deleted: every unlocked vault has one).
     *
     * @throws TamperedDataException if the row was altered
     */
    public Optional<AuditAnchor> auditAnchor() {
        return guarded(() -> {
            KeyMaterial masterKey = master();
            return vault.withConnection("read the audit record", c -> AuditAnchorRow.read(c, vault.aead(), masterKey));
        });
    }

    /** Seals an anchor under this session's master key (for {@link VaultAuditStore}). */
    byte[] sealAuditAnchor(AuditAnchor anchor) {
        return guarded(() -> AuditAnchorRow.seal(vault.aead(), master(), anchor));
    }

    /** Keyword search over this vault's items (blind index); closed when the session locks. */
    public KeywordIndex keywordIndex() {
        return new KeywordIndex(vault, blindIndex());
    }

    /** Consent events of this vault, encrypted per consent; usable while this session is unlocked. */
    public ConsentEventStore consentStore() {
        return guarded(() -> new VaultConsentStore(vault, this));
    }

    /**
     * The device key as a signer of notes and consent events. Its key name, {@code sovereign-device-<16 hex>}, is also
     * the audit log's origin. Signing works while this session is unlocked.
     */
    public NoteSigner deviceSigner() {
        DeviceIdentity identity = deviceIdentity();
        String name = "sovereign-device-" + identity.fingerprint().replace(" ", "").substring(0, 16);
        return new NoteSigner() {
            @Override
            public String keyName() {
                return name;
            }

            @Override
            public byte[] publicKey() {
                return identity.publicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return VaultSession.this.sign(message);
            }
        };
    }

    /** The device's public identity. */
    public DeviceIdentity deviceIdentity() {
        return guarded(() -> {
            return vault.deviceIdentity();
        });
    }

    /**
     * Signs {@code data} with the device's Ed25519 key. The private key is decrypted for this call
     * only; its PKCS#8 bytes are wiped afterwards (the JDK's own key object cannot be wiped and is left
     * to the garbage collector).
     */
    public byte[] sign(byte[] data) {
        return guarded(() -> {
            KeyMaterial masterKey = master();
            byte[] encrypted = vault.withConnection("read the device key", c -> {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT encrypted_private_key FROM device_identity WHERE id = 1");
                     ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw new CorruptVaultException("The vault has no device identity.");
                    }
                    return rs.getBytes(1);
                }
            });
            byte[] pkcs8 = vault.aead().open(masterKey, encrypted, Vault.DEVICE_KEY_CONTEXT.encode());
            byte[] seed = null;
            try {
                if (pkcs8.length == ED25519_PKCS8_PREFIX.length + 32
                        && Arrays.equals(pkcs8, 0, ED25519_PKCS8_PREFIX.length, ED25519_PKCS8_PREFIX, 0, ED25519_PKCS8_PREFIX.length)) {
                    // Bouncy Castle's Ed25519 signs about ten times faster than the JDK's; same RFC 8032 signatures
                    seed = Arrays.copyOfRange(pkcs8, ED25519_PKCS8_PREFIX.length, pkcs8.length);
                    Ed25519Signer signer = new Ed25519Signer();
                    signer.init(true, new Ed25519PrivateKeyParameters(seed, 0));
                    signer.update(data, 0, data.length);
                    return signer.generateSignature();
                }
                PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                Signature signer = Signature.getInstance("Ed25519");
                signer.initSign(key);
                signer.update(data);
                return signer.sign();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("Ed25519 signing failed", e);
            } finally {
                Secrets.wipe(pkcs8);
                if (seed != null) {
                    Secrets.wipe(seed);
                }
            }
        });
    }

    /**
     * A blind index keyed with a sub-key of the master key derived only for this purpose. The caller
     * may close it early (which wipes its key); locking the session closes it in any case.
     */
    public BlindIndex blindIndex() {
        return guarded(() -> {
            BlindIndex index = new BlindIndex(KeyDerivation.derive(master(), "blind-index"));
            synchronized (dataKeys) {
                issuedIndexes.add(index);
            }
            return index;
        });
    }

    /**
     * Writes an encrypted backup of the whole vault to {@code target}, replacing it atomically if it
     * exists. Restore with {@link VaultBackup#restore(java.nio.file.Path, char[], java.nio.file.Path)}
     * and the passphrase valid now. Blocks while the file is copied and encrypted.
     */
    public void backupTo(Path target) {
        guarded(() -> {
            VaultBackup.write(vault, master(), target);
            return null;
        });
    }

    @Override
    public String toString() {
        return "VaultSession[" + vault.file() + (isLocked() ? ", locked]" : ", unlocked]");
    }

    // ---- helpers ----

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        vault.random().nextBytes(b);
        return b;
    }

    private static void checkKind(String kind) {
        if (kind == null || !KIND.matcher(kind).matches()) {
            throw new IllegalArgumentException("A kind must be 1-64 lower-case letters, digits, '-' or '_', "
                    + "starting with a letter");
        }
    }

    private static long lastInsertRowId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT last_insert_rowid()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Scope scopeFrom(ResultSet rs) throws SQLException {
        long erased = rs.getLong(5);
        Optional<Instant> erasedAt = rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(erased));
        return new Scope(rs.getLong(1), rs.getString(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)), erasedAt);
    }

    private static ItemInfo itemFrom(ResultSet rs) throws SQLException {
        return new ItemInfo(rs.getLong(1), rs.getLong(2), rs.getString(3), Instant.ofEpochMilli(rs.getLong(4)),
                rs.getLong(5));
    }
}
