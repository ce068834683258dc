package org.sovereign.store.audit.log;

import org.sovereign.store.fs.PrivateFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;

/**
 * The latest signed checkpoint, kept in a small file beside the database so that a shrunk, rewritten or rolled-back
 * database is noticed at open. Written atomically and durably (fsynced temporary file, rename, fsynced directory),
 * private to its owner (mode 0600 on POSIX systems).
 */
public final class CheckpointFile {

    private final Path file;

    public CheckpointFile(Path file) {
        this.file = file;
    }

    /** The conventional place: {@code <database>.checkpoint}. */
    public static CheckpointFile beside(Path database) {
        return new CheckpointFile(database.resolveSibling(database.getFileName() + ".checkpoint"));
    }

    public Path path() {
        return file;
    }

    /** Sets the file's mode to 0600 if it is looser (POSIX; a no-op elsewhere or if there is no file). */
    public void tighten() {
        PrivateFiles.tighten(file);
    }

    public Optional<byte[]> read() {
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be read", e);
        }
    }

    /**
     * Replaces the file atomically and durably: the note goes to a temporary file that is fsynced, is renamed over the
     * old file, and the directory is fsynced (where the platform allows opening a directory; on Windows the rename is
     * left to NTFS's own journal). After a power loss the file holds either the old or the new note, complete.
     */
    public void write(byte[] signedNote) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING), PrivateFiles.ownerOnly(tmp))) {
                PrivateFiles.tighten(tmp); // a leftover temporary file keeps its mode otherwise
                ByteBuffer buf = ByteBuffer.wrap(signedNote);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be written", e);
        }
    }

    /** Fsyncs a directory so a rename in it is durable; a no-op where directories cannot be opened (Windows). */
    static void syncDirectory(Path directory) {
        if (directory == null) {
            return;
        }
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported on this platform (Windows: AccessDeniedException); the rename itself is atomic
        }
    }
}
