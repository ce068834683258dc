package org.sovereign.store.vault;

import org.sovereign.store.vault.crypto.KdfParams;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** Shared helpers: cheap KDF settings, raw JDBC access and byte searches on the vault file. */
final class VaultTestSupport {
    /** Small Argon2id settings for tests (8 MiB, one pass); the defaults are exercised once elsewhere. */
    static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    static final String PASS = "correct horse battery staple";

    private VaultTestSupport() {
    }

    static char[] pass() {
        return PASS.toCharArray();
    }

    /** Runs SQL on the file through a separate plain JDBC connection (the attacker's view). */
    static void sql(Path file, String... statements) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    static byte[] blob(Path file, String query) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             PreparedStatement ps = c.prepareStatement(query);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    static void setBlob(Path file, String update, byte[] value) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
             PreparedStatement ps = c.prepareStatement(update)) {
            ps.setBytes(1, value);
            ps.executeUpdate();
        }
    }

    /** Whether {@code needle} occurs in the vault file or its WAL (if present). */
    static boolean fileContains(Path file, byte[] needle) throws IOException {
        for (Path p : new Path[] {file, file.resolveSibling(file.getFileName() + "-wal")}) {
            if (Files.exists(p) && indexOf(Files.readAllBytes(p), needle) >= 0) {
                return true;
            }
        }
        return false;
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
