package org.sovereign.store.vault;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.store.fs.PrivateFiles;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.CanonicalEncoding;
import org.sovereign.store.vault.crypto.Hex;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.store.vault.crypto.KeyDerivation;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.KeyWrap;
import org.sovereign.store.vault.crypto.Secrets;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * Encrypted whole-file backups of a vault.
 *
 * <p>A backup is a consistent copy made with SQLite's {@code VACUUM INTO}, encrypted in 1 MiB chunks
 * with AES-256-GCM under a per-backup key derived from the master key. Its clear header repeats the
 * vault header (KDF settings, salt, wrapped master key), so the backup is restored with the
 * passphrase that was valid when it was made, even if the original vault is lost; making a backup
 * needs no passphrase, only an unlocked session. Layout:
 * <pre>
 *   "SVBK" | header length (4 bytes, big-endian) | header | sealed chunk 0 | sealed chunk 1 | ...
 *   header = CanonicalEncoding("sovereign.vault.backup.v1", format version, KDF algorithm, m, t, p,
 *            salt, wrapped master key, backup salt (16 bytes), plaintext length, chunk size)
 *   chunk i = Aead.seal(backupKey, plaintext[i*chunk .. ], AAD = (header, i, isFinal))
 *   backupKey = KeyDerivation.derive(master, "backup-file:" + hex(backup salt))
 * </pre>
 * Binding the header and the chunk index and finality into each chunk detects reordering, truncation
 * and header edits. Files are written to a temporary file and moved into place atomically.
 */
public final class VaultBackup {
    private static final byte[] MAGIC = "SVBK".getBytes(StandardCharsets.US_ASCII);
    private static final String DOMAIN = "sovereign.vault.backup.v1";
    private static final String CHUNK_DOMAIN = "sovereign.vault.backup.chunk.v1";
    static final int CHUNK_SIZE = 1 << 20;
    private static final int MAX_HEADER = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(VaultBackup.class);

    private VaultBackup() {
    }

    /** Parsed clear header of a backup file. */
    private record Header(byte[] encoded, VaultHeader vaultHeader, byte[] backupSalt, long plaintextLength,
                          int chunkSize) {
    }

    /**
     * Writes an encrypted backup of the session's vault to {@code target} (replacing an existing file
     * atomically). Blocks while the database is copied and encrypted.
     */
    static void write(Vault vault, KeyMaterial master, Path target) {
        Path plain = tempSibling(vault.file(), ".backup-plain-");
        Path staged = tempSibling(target, ".tmp-");
        byte[] backupSalt = new byte[16];
        vault.random().nextBytes(backupSalt);
        try {
            PrivateFiles.createEmpty(plain); // VACUUM INTO writes into an empty file and keeps its mode
            PrivateFiles.createEmpty(staged);
            VaultHeader vaultHeader = vault.withConnection("copy the vault for backup", c -> {
                vacuumInto(c, plain);
                return VaultHeader.read(c);
            });
            long length = Files.size(plain);
            byte[] header = encodeHeader(vaultHeader, backupSalt, length, CHUNK_SIZE);
            try (KeyMaterial key = KeyDerivation.derive(master, "backup-file:" + Hex.encode(backupSalt));
                 InputStream in = Files.newInputStream(plain);
                 OutputStream out = Files.newOutputStream(staged)) {
                out.write(MAGIC);
                out.write(int32(header.length));
                out.write(header);
                long chunks = chunkCount(length, CHUNK_SIZE);
                byte[] buffer = new byte[CHUNK_SIZE];
                try {
                    for (long i = 0; i < chunks; i++) {
                        int n = in.readNBytes(buffer, 0, (int) Math.min(CHUNK_SIZE, length - i * CHUNK_SIZE));
                        byte[] plainChunk = Arrays.copyOf(buffer, n);
                        out.write(vault.aead().seal(key, plainChunk, chunkAad(header, i, i == chunks - 1)));
                        Secrets.wipe(plainChunk);
                    }
                } finally {
                    Secrets.wipe(buffer);
                }
            }
            moveAtomically(staged, target);
        } catch (IOException e) {
            throw new VaultException("The backup could not be written to " + target + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(plain);
            deleteQuietly(staged);
        }
    }

    /**
     * Restores a backup into a new vault file {@code target} (which must not exist), using the
     * passphrase that was valid when the backup was made (owned by the caller). The restored vault
     * has the same master key and device identity as the original. Blocks for one Argon2id derivation.
     *
     * @throws WrongPassphraseException if the passphrase is wrong or the backup header was altered
     * @throws TamperedDataException    if the backup was truncated, reordered or altered
     */
    public static void restore(Path backup, char[] passphrase, Path target) {
        if (Files.exists(target)) {
            throw new VaultException("A file already exists at " + target + "; refusing to overwrite it.");
        }
        Path staged = tempSibling(target, ".tmp-");
        try (InputStream raw = Files.newInputStream(backup); DataInputStream in = new DataInputStream(raw)) {
            Header header = readHeader(in);
            Aead aead = new Aead(new SecureRandom());
            PrivateFiles.createEmpty(staged);
            try (KeyMaterial master = Vault.unwrapMaster(new KeyWrap(aead), header.vaultHeader(), passphrase);
                 KeyMaterial key = KeyDerivation.derive(master, "backup-file:" + Hex.encode(header.backupSalt()));
                 OutputStream out = Files.newOutputStream(staged)) {
                long chunks = chunkCount(header.plaintextLength(), header.chunkSize());
                for (long i = 0; i < chunks; i++) {
                    int n = (int) Math.min(header.chunkSize(), header.plaintextLength() - i * header.chunkSize());
                    byte[] sealed = new byte[n + Aead.OVERHEAD];
                    in.readFully(sealed);
                    byte[] plain = aead.open(key, sealed, chunkAad(header.encoded(), i, i == chunks - 1));
                    out.write(plain);
                    Secrets.wipe(plain);
                }
                if (in.read() != -1) {
                    throw new TamperedDataException("The backup has extra data after its end; it was altered.");
                }
            }
            SqliteFile.verify(staged);
            moveAtomically(staged, target);
        } catch (EOFException e) {
            throw new TamperedDataException("The backup is truncated; it cannot be restored.", e);
        } catch (IOException e) {
            throw new VaultException("The backup could not be restored: " + e.getMessage(), e);
        } finally {
            deleteQuietly(staged);
        }
    }

    private static Header readHeader(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptVaultException("This file is not a Sovereign vault backup.");
        }
        int length = in.readInt();
        if (length <= 0 || length > MAX_HEADER) {
            throw new CorruptVaultException("The backup header is damaged.");
        }
        byte[] encoded = new byte[length];
        in.readFully(encoded);
        FieldReader r = new FieldReader(encoded);
        if (!DOMAIN.equals(r.string())) {
            throw new CorruptVaultException("The backup header has an unknown format.");
        }
        int format = (int) r.int64();
        if ((format != VaultHeader.FORMAT_VERSION && format != VaultHeader.FORMAT_WITHOUT_ANCHOR)
                || !VaultHeader.KDF_ALGORITHM.equals(r.string())) {
            throw new CorruptVaultException("The backup was made by an unknown vault format.");
        }
        KdfParams kdf;
        try {
            kdf = new KdfParams((int) r.int64(), (int) r.int64(), (int) r.int64());
        } catch (IllegalArgumentException e) {
            throw new TamperedDataException("The backup header's key-derivation settings are invalid.", e);
        }
        if (!kdf.meetsMinimum()) {
            throw new TamperedDataException("The backup header's key-derivation settings (" + kdf
                    + ") are weaker than this workstation allows; the header has been altered.");
        }
        VaultHeader vaultHeader = new VaultHeader(format, kdf, r.bytes(), r.bytes());
        byte[] backupSalt = r.bytes();
        long plaintextLength = r.int64();
        long chunkSize = r.int64();
        if (plaintextLength < 0 || chunkSize != CHUNK_SIZE || !r.atEnd()) {
            throw new CorruptVaultException("The backup header is damaged.");
        }
        return new Header(encoded, vaultHeader, backupSalt, plaintextLength, (int) chunkSize);
    }

    private static byte[] encodeHeader(VaultHeader h, byte[] backupSalt, long length, int chunkSize) {
        return CanonicalEncoding.of(DOMAIN).add(h.formatVersion()).add(VaultHeader.KDF_ALGORITHM)
                .add(h.kdf().memoryKiB()).add(h.kdf().iterations()).add(h.kdf().parallelism())
                .add(h.salt()).add(h.wrappedMasterKey()).add(backupSalt).add(length).add(chunkSize).toBytes();
    }

    private static byte[] chunkAad(byte[] header, long index, boolean last) {
        return CanonicalEncoding.of(CHUNK_DOMAIN).add(header).add(index).add(last ? 1 : 0).toBytes();
    }

    private static long chunkCount(long length, int chunkSize) {
        return Math.max(1, (length + chunkSize - 1) / chunkSize);
    }

    private static void vacuumInto(Connection c, Path plain) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
            ps.setString(1, plain.toAbsolutePath().toString());
            ps.executeUpdate();
        }
    }

    private static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot replace files atomically", e);
        }
    }

    private static Path tempSibling(Path file, String infix) {
        byte[] r = new byte[8];
        new SecureRandom().nextBytes(r);
        Path absolute = file.toAbsolutePath();
        return absolute.resolveSibling(absolute.getFileName() + infix + Hex.encode(r));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("Could not remove temporary backup file {}: {}", p, e.getMessage());
        }
    }

    private static byte[] int32(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    /** Reads fields written by {@link CanonicalEncoding}. */
    private static final class FieldReader {
        private final byte[] data;
        private int pos;

        FieldReader(byte[] data) {
            this.data = data;
            if (data.length == 0 || data[0] != CanonicalEncoding.FORMAT_VERSION) {
                throw new CorruptVaultException("The backup header is damaged.");
            }
            this.pos = 1;
        }

        String string() {
            return new String(field(0x01), StandardCharsets.UTF_8);
        }

        long int64() {
            byte[] b = field(0x02);
            if (b.length != 8) {
                throw new CorruptVaultException("The backup header is damaged.");
            }
            long v = 0;
            for (byte x : b) {
                v = (v << 8) | (x & 0xFF);
            }
            return v;
        }

        byte[] bytes() {
            return field(0x03);
        }

        boolean atEnd() {
            return pos == data.length;
        }

        private byte[] field(int type) {
            if (pos + 5 > data.length || data[pos] != type) {
                throw new CorruptVaultException("The backup header is damaged.");
            }
            int n = ((data[pos + 1] & 0xFF) << 24) | ((data[pos + 2] & 0xFF) << 16)
                    | ((data[pos + 3] & 0xFF) << 8) | (data[pos + 4] & 0xFF);
            pos += 5;
            if (n < 0 || pos + n > data.length) {
                throw new CorruptVaultException("The backup header is damaged.");
            }
            byte[] out = Arrays.copyOfRange(data, pos, pos + n);
            pos += n;
            return out;
        }
    }
}
