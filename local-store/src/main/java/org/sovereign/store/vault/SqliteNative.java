package org.sovereign.store.vault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Opens SQLite connections, after pointing sqlite-jdbc's native library at a private folder.
 *
 * <p>Why: sqlite-jdbc unpacks its native library out of its jar and loads it; by default it writes the file
 * straight into {@code java.io.tmpdir} ({@code /tmp}, shared by every user of the machine). Before the first
 * connection, {@code org.sqlite.tmpdir} is set to a new folder that only this user can open (created with mode 0700,
 * one per run), so no other user or program can replace or watch the library between unpacking and loading; the
 * folder is deleted once the library is loaded (on Linux and macOS a loaded library stays mapped) or when the run
 * ends. The same rule holds for the other native libraries (model-packs' {@code PrivateNativeDirectory}).
 */
final class SqliteNative {

    /** sqlite-jdbc's setting for where it unpacks its native library. */
    static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";
    static final String PREFIX = "sovereign-sqlite-";

    private static Path unpackFolder;
    private static boolean loaded;

    private SqliteNative() {
    }

    /** A connection to the database file {@code file}. */
    static Connection connect(Path file) throws SQLException {
        prepare();
        Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        libraryLoaded();
        return connection;
    }

    /** Creates the private folder and points sqlite-jdbc at it, once, before the first connection. */
    static synchronized void prepare() {
        if (loaded || unpackFolder != null) {
            return;
        }
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path dir;
            if (isPosix()) {
                Set<PosixFilePermission> owner = EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
                dir = Files.createTempDirectory(base, PREFIX, PosixFilePermissions.asFileAttribute(owner));
            } else {
                dir = Files.createTempDirectory(base, PREFIX); // the per-user temp folder on Windows
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "sqlite-native-cleanup"));
            unpackFolder = dir;
            System.setProperty(TMPDIR_PROPERTY, dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a private folder for SQLite's native library under "
                    + base + ": " + e.getMessage(), e);
        }
    }

    private static synchronized void libraryLoaded() {
        if (!loaded) {
            loaded = true;
            if (isPosix() && unpackFolder != null) {
                deleteTree(unpackFolder);
            }
        }
    }

    private static boolean isPosix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort (a library in use cannot be deleted on Windows)
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
