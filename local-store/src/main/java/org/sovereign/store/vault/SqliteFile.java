package org.sovereign.store.vault;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks the 100-byte SQLite file header (see sqlite.org/fileformat2.html §1.3) before SQLite opens
 * the file, so a truncated or foreign file is refused with a clear message and never modified.
 */
final class SqliteFile {
    private static final byte[] MAGIC = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER_LENGTH = 100;

    private SqliteFile() {
    }

    /** Returns {@code PRAGMA user_version} as stored in the file header, after sanity checks. */
    static int verify(Path file) {
        byte[] header = new byte[HEADER_LENGTH];
        long size;
        try {
            size = Files.size(file);
            try (InputStream in = Files.newInputStream(file)) {
                int read = in.readNBytes(header, 0, HEADER_LENGTH);
                if (read < HEADER_LENGTH) {
                    throw new CorruptVaultException("The vault file is only " + size
                            + " bytes long; it was truncated or is not a vault.");
                }
            }
        } catch (IOException e) {
            throw new VaultException("The vault file could not be read: " + e.getMessage(), e);
        }
        if (!Arrays.equals(Arrays.copyOf(header, MAGIC.length), MAGIC)) {
            throw new CorruptVaultException("This file is not a vault (it is not an SQLite database).");
        }
        int pageSize = u16(header, 16);
        if (pageSize == 1) {
            pageSize = 65536;
        }
        if (pageSize < 512 || Integer.bitCount(pageSize) != 1) {
            throw new CorruptVaultException("The vault file header is damaged (invalid page size).");
        }
        long pagesInHeader = u32(header, 28);
        boolean headerCountValid = pagesInHeader > 0 && u32(header, 24) == u32(header, 92);
        long expected = headerCountValid ? pagesInHeader * pageSize : 0;
        if (size % pageSize != 0 || size < expected) {
            throw new CorruptVaultException("The vault file is truncated: it holds " + size + " bytes but "
                    + (headerCountValid ? "its header declares " + expected : "pages are " + pageSize + " bytes")
                    + ". Restore it from a backup.");
        }
        return (int) u32(header, 60);
    }

    private static int u16(byte[] b, int offset) {
        return ((b[offset] & 0xFF) << 8) | (b[offset + 1] & 0xFF);
    }

    private static long u32(byte[] b, int offset) {
        return ((long) (b[offset] & 0xFF) << 24) | ((b[offset + 1] & 0xFF) << 16)
                | ((b[offset + 2] & 0xFF) << 8) | (b[offset + 3] & 0xFF);
    }
}
