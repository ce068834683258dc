package org.sovereign.store.vault;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * Child-process entry point for {@link SqliteNativeLibraryTest}: opens a database the way the vault does, then
 * prints where sqlite-jdbc's native library was mapped from, that folder's permissions as the library was loaded
 * (via the property the vault set) and the SHA-256 of the mapped file (through {@code /proc/self/map_files}).
 */
public final class SqliteNativeChildMain {

    private SqliteNativeChildMain() {
    }

    public static void main(String[] args) throws Exception {
        SqliteNative.prepare();
        String dir = System.getProperty(SqliteNative.TMPDIR_PROPERTY);
        System.out.println("mode " + (dir == null ? "none"
                : PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(dir)))));
        try (Connection c = SqliteNative.connect(Path.of(args[0]));
             Statement s = c.createStatement();
             ResultSet r = s.executeQuery("select sqlite_version()")) {
            r.next();
            System.out.println("sqlite " + r.getString(1));
        }
        System.out.println("tmpdir " + System.getProperty(SqliteNative.TMPDIR_PROPERTY));
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            if (line.contains("sqlitejdbc")) {
                String range = line.substring(0, line.indexOf(' '));
                String file = line.substring(line.indexOf('/')).trim();
                byte[] bytes = Files.readAllBytes(Path.of("/proc/self/map_files", range));
                System.out.println("mapped " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes))
                        + " " + file);
                break;
            }
        }
    }
}
