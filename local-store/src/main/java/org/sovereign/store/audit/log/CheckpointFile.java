package org.sovereign.store.audit.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The latest signed checkpoint, kept in a small file beside the database so that a shrunk, rewritten or rolled-back
 * database is noticed at open. Written atomically (temporary file, then rename).
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

    public Optional<byte[]> read() {
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be read", e);
        }
    }

    public void write(byte[] signedNote) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(tmp, signedNote);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The checkpoint file " + file + " cannot be written", e);
        }
    }
}
