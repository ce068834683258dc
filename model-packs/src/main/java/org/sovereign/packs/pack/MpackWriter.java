package org.sovereign.packs.pack;

import org.sovereign.packs.signing.ModelFiles;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes a pack directory as a {@code .mpack} archive (entries STORED, sorted), atomically. */
public final class MpackWriter {

    /** Archives {@code packDir} into {@code target}; symbolic links are refused. Blocks on file I/O. */
    /** The time every entry carries (the earliest a zip's DOS time can express), so writing is reproducible. */
    static final LocalDateTime FIXED_ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    public void write(Path packDir, Path target) throws IOException {
        write(packDir, target, ProgressListener.NONE, () -> false);
    }

    /**
     * As {@link #write(Path, Path)}, reporting the bytes archived of the files' total and stopping with
     * {@link org.sovereign.packs.signing.OperationCancelledException} when {@code cancel} turns true.
     */
    public void write(Path packDir, Path target, ProgressListener progress, BooleanSupplier cancel) throws IOException {
        SortedMap<String, ModelFiles.Entry> files = ModelFiles.list(packDir, List.of());
        long total = files.values().stream().mapToLong(ModelFiles.Entry::size).sum();
        StreamingHasher copier = new StreamingHasher(total, progress, cancel);
        Path dir = target.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".mpack-", ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(raw)) {
                zip.setMethod(ZipOutputStream.STORED);
                for (ModelFiles.Entry f : files.values()) {
                    ZipEntry e = new ZipEntry(f.name());
                    e.setMethod(ZipEntry.STORED);
                    // fixed time: the manifest's digests carry the meaning, and equal packs get equal bytes
                    e.setTimeLocal(FIXED_ENTRY_TIME);
                    e.setSize(f.size());
                    e.setCompressedSize(f.size());
                    e.setCrc(crc(f.path()));
                    zip.putNextEntry(e);
                    try (InputStream in = Files.newInputStream(f.path())) {
                        copier.copy(in, zip, f.size());
                    }
                    zip.closeEntry();
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static long crc(Path file) throws IOException {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[StreamingHasher.BUFFER_SIZE];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                crc.update(buf, 0, n);
            }
        }
        return crc.getValue();
    }
}
