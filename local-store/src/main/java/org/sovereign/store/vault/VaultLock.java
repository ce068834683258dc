package org.sovereign.store.vault;

import org.sovereign.store.fs.PrivateFiles;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * One exclusive lock per vault: an operating-system lock ({@link FileChannel#tryLock()}) on {@code <vault>.lock} beside
 * the vault file, held from open to close. A second opener, in another process or in this one, gets a
 * {@link VaultInUseException} at once and touches nothing. The lock goes with the process (also when it is killed);
 * the empty lock file stays (deleting it would let two openers lock two different files).
 *
 * <p>Within this JVM a second handle is refused before any file is opened: on POSIX systems closing any descriptor of a
 * file drops every lock the process holds on it, so the file is never opened twice here.
 */
public final class VaultLock implements AutoCloseable {

    /** Absolute, normalised lock-file paths locked by this JVM. Guarded by itself. */
    private static final Set<Path> HELD = new HashSet<>();

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private VaultLock(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of a vault file. */
    static Path lockFile(Path vaultFile) {
        return vaultFile.resolveSibling(vaultFile.getFileName() + ".lock");
    }

    /**
     * Takes the vault's lock.
     *
     * @throws VaultInUseException if another process or another handle in this one holds it
     * @throws VaultException      if the lock file cannot be created or opened
     */
    static VaultLock acquire(Path vaultFile) {
        Path path = canonical(lockFile(vaultFile));
        synchronized (HELD) {
            if (!HELD.add(path)) {
                throw inUse(vaultFile);
            }
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
                    PrivateFiles.ownerOnly(path));
            PrivateFiles.tighten(path);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(vaultFile);
            }
            return new VaultLock(path, channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            forget(path);
            throw inUse(vaultFile);
        } catch (IOException e) {
            closeQuietly(channel);
            forget(path);
            throw new VaultException("The vault's lock file " + path + " could not be opened: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel);
            forget(path);
            throw e;
        }
    }

    /** The lock file's path with its directory's symbolic links resolved, so two spellings of one vault are one key. */
    private static Path canonical(Path lockFile) {
        Path absolute = lockFile.toAbsolutePath().normalize();
        try {
            return absolute.getParent().toRealPath().resolve(absolute.getFileName());
        } catch (IOException e) {
            return absolute; // the directory is missing: opening the lock file fails with a clear message below
        }
    }

    private static VaultInUseException inUse(Path vaultFile) {
        Path dir = vaultFile.toAbsolutePath().getParent();
        return new VaultInUseException("The vault in " + dir + " is in use by another Sovereign process (or window); "
                + "close it there and try again.");
    }

    /** Releases the lock. Idempotent. */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        } finally {
            closeQuietly(channel);
            forget(path);
        }
    }

    private static void forget(Path path) {
        synchronized (HELD) {
            HELD.remove(path);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to release
            }
        }
    }
}
