package org.sovereign.store.fs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files only their owner may read or write (mode 0600 on POSIX systems): the vault, its write-ahead log and shared
 * memory, the checkpoint file, the lock file and backups. On file systems without POSIX permissions (Windows) every
 * method is a no-op and the files rely on the user profile's access control.
 */
public final class PrivateFiles {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateFiles.class);

    /** rw------- */
    public static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** rwx------ */
    public static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Whether the file system of {@code path} has POSIX permissions. */
    public static boolean isPosix(Path path) {
        Path p = path.toAbsolutePath();
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Attributes that create a file as 0600 (none where permissions are not POSIX). */
    public static FileAttribute<?>[] ownerOnly(Path path) {
        return isPosix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
    }

    /** Creates an empty file readable and writable by its owner only; fails if it exists. */
    public static void createEmpty(Path file) throws IOException {
        Files.createFile(file, ownerOnly(file));
        tighten(file); // an unusual umask could still have removed the owner's bits; set them exactly
    }

    /** Creates missing directories as 0700 (existing ones keep their mode). */
    public static void createDirectories(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return;
        }
        if (isPosix(absolute)) {
            Files.createDirectories(absolute, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
        } else {
            Files.createDirectories(absolute);
        }
    }

    /**
     * Sets a file's mode to 0600 if it is anything else (a no-op if it does not exist, is a symbolic link or the file
     * system has no POSIX permissions). Returns whether it changed the mode.
     */
    public static boolean tighten(Path file) {
        if (!isPosix(file)) {
            return false;
        }
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view == null || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Set<PosixFilePermission> now = view.readAttributes().permissions();
            if (now.equals(OWNER_ONLY)) {
                return false;
            }
            view.setPermissions(OWNER_ONLY);
            LOG.info("{} was readable or writable by others ({}); it is now private to its owner (rw-------)",
                    file.getFileName(), PosixFilePermissions.toString(now));
            return true;
        } catch (NoSuchFileException | FileAlreadyExistsException gone) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("The permissions of " + file + " could not be set", e);
        }
    }
}
