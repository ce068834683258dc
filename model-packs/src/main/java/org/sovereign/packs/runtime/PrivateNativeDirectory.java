package org.sovereign.packs.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One fresh folder per process for native libraries that libraries in our jars unpack before loading them
 * (DJL's tokenizer library, JNA's dispatch library).
 *
 * <p>Why: a native library runs with the whole process's rights (vault key, passphrase in the environment). A
 * library unpacked once into a lasting cache (the data directory, {@code ~/.djl.ai}) and loaded from there on every
 * later run without a check lets anyone who can write that folder (another program, a sync service, a shared
 * drive) run code in the workstation. So nothing is loaded from a lasting place: each run unpacks the copies inside
 * the jars into a new folder that only this user can open (created atomically with mode 0700 under
 * {@code java.io.tmpdir}; on Windows the per-user temp folder is already closed to other users), and deletes it
 * when the run ends (on Linux and macOS right after loading: a loaded library stays mapped).
 */
public final class PrivateNativeDirectory {

    /** Name prefix of the per-run folders. */
    public static final String PREFIX = "sovereign-native-";

    private static Path directory;

    private PrivateNativeDirectory() {
    }

    /** This run's folder, created on first use. */
    public static synchronized Path get() {
        if (directory == null) {
            directory = create();
        }
        return directory;
    }

    /** A fresh sub-folder of this run's folder (for one library's unpacking). */
    public static synchronized Path subfolder(String name) {
        Path dir = get().resolve(name);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a private folder for native libraries: " + e.getMessage(), e);
        }
        return dir;
    }

    /**
     * Points JNA, which unpacks its dispatch library on first use (into {@code ~/.cache/JNA} by default, outside the
     * data directory), at a sub-folder of this run's folder, and stops it from loading a system copy. Call before
     * anything may touch JNA (ONNX Runtime's switch, DJL's tokenizer); does nothing when a folder is set already.
     */
    public static synchronized void pinJna() {
        if (System.getProperty("jna.tmpdir") == null) {
            System.setProperty("jna.tmpdir", subfolder("jna").toString());
        }
        System.setProperty("jna.nosys", "true");
    }

    /**
     * Deletes {@code folder} (inside this run's folder) once its libraries are loaded. Only on systems where a
     * loaded library may be deleted; elsewhere the shutdown hook tries again.
     */
    public static void discardLoaded(Path folder) {
        if (isPosix()) {
            deleteTree(folder);
        }
    }

    private static Path create() {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            Path dir;
            if (isPosix()) {
                Set<PosixFilePermission> owner = EnumSet.of(PosixFilePermission.OWNER_READ,
                        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
                dir = Files.createTempDirectory(base, PREFIX, PosixFilePermissions.asFileAttribute(owner));
                // the attribute is applied at creation (the umask can only narrow it); check anyway
                if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(owner)) {
                    throw new IOException(dir + " did not get owner-only permissions");
                }
            } else {
                dir = Files.createTempDirectory(base, PREFIX);
            }
            Path created = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created), "native-dir-cleanup"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a private folder for native libraries under " + base
                    + ": " + e.getMessage(), e);
        }
    }

    static boolean isPosix() {
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
                    // best effort: a library still in use on Windows cannot be deleted
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // best effort
        }
    }
}
