package org.sovereign.packs.pack;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A temporary folder inside the packs folder (for an install, a verification or a signing) that is provably in use
 * while its owner lives: it comes with a lock file {@code <folder>.lock} beside it, locked with an OS file lock for
 * the folder's whole life. The OS releases the lock when the owning process dies, so {@link #cleanStale} can tell a
 * folder left by a crash (lock free) from one another process is still filling (lock held).
 *
 * <p>Protocol: the lock file is created and locked first, then the folder; at the end the folder is deleted (or
 * moved into place by the owner), then the lock file, then the lock is released. Cleanup deletes a folder only while
 * holding its lock, and deletes folders that have no lock file at all (left by a crash before the lock existed or
 * after it was removed). Not thread-safe: one owner per instance.
 */
public final class StagingFolder implements AutoCloseable {

    static final String LOCK_SUFFIX = ".lock";

    private final Path folder;
    private final Path lockFile;
    private final FileChannel channel;
    private final FileLock lock;

    private StagingFolder(Path folder, Path lockFile, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.lockFile = lockFile;
        this.channel = channel;
        this.lock = lock;
    }

    /** Creates {@code <parent>/<prefix><random>} with its held lock; {@code parent} must exist. */
    public static StagingFolder create(Path parent, String prefix) throws IOException {
        for (int attempt = 0; attempt < 16; attempt++) {
            Path lockFile = Files.createTempFile(parent, prefix, LOCK_SUFFIX);
            FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE);
            FileLock lock = null;
            try {
                lock = channel.tryLock();
                // A cleanup in another process may have taken and deleted the new file before we locked it.
                if (lock != null && Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)) {
                    String name = lockFile.getFileName().toString();
                    Path folder = parent.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                    Files.createDirectory(folder);
                    return new StagingFolder(folder, lockFile, channel, lock);
                }
            } catch (FileAlreadyExistsException | OverlappingFileLockException retry) {
                // a leftover folder with the same name, or a lock this JVM holds: try another name
            } catch (IOException | RuntimeException e) {
                release(lock, channel);
                Files.deleteIfExists(lockFile);
                throw e;
            }
            release(lock, channel);
            Files.deleteIfExists(lockFile);
        }
        throw new IOException("Could not create a locked temporary folder in " + parent);
    }

    public Path path() {
        return folder;
    }

    /** Deletes the folder if it is still there (it is gone when the owner moved it into place), then the lock. */
    @Override
    public void close() {
        FileTrees.deleteQuietly(folder);
        try {
            Files.deleteIfExists(lockFile);
        } catch (IOException ignored) {
            // an unlocked lock file is removed by the next cleanup
        }
        release(lock, channel);
    }

    /**
     * Deletes the folders named {@code <prefix>*} in {@code parent} that nobody owns any more: those whose lock file
     * can be locked (the owner died) and those without a lock file; their lock files too. Folders whose lock is
     * held, by this process or another, are left alone. Best effort: never throws.
     *
     * @return the folders deleted
     */
    public static List<Path> cleanStale(Path parent, List<String> prefixes) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return removed;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent)) {
            for (Path p : s) {
                String name = p.getFileName().toString();
                if (prefixes.stream().anyMatch(name::startsWith)) {
                    candidates.add(p);
                }
            }
        } catch (IOException e) {
            return removed;
        }
        for (Path p : candidates) {
            String name = p.getFileName().toString();
            if (name.endsWith(LOCK_SUFFIX) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                Path folder = parent.resolve(name.substring(0, name.length() - LOCK_SUFFIX.length()));
                if (removeIfUnlocked(p, folder) && !Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                    removed.add(folder);
                }
            }
        }
        for (Path p : candidates) {
            Path lockFile = p.resolveSibling(p.getFileName() + LOCK_SUFFIX);
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && !Files.exists(lockFile, LinkOption.NOFOLLOW_LINKS)
                    && !removed.contains(p)) {
                FileTrees.deleteQuietly(p);
                if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                    removed.add(p);
                }
            }
        }
        return removed;
    }

    /** True when the lock was free (and folder and lock file are now deleted). */
    private static boolean removeIfUnlocked(Path lockFile, Path folder) {
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException heldHere) {
                return false;
            }
            if (lock == null) {
                return false;
            }
            try {
                FileTrees.deleteQuietly(folder);
                Files.deleteIfExists(lockFile);
            } finally {
                lock.release();
            }
            return true;
        } catch (NoSuchFileException gone) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel releases it too
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing more to free
        }
    }
}
