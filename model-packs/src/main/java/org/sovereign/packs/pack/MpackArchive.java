package org.sovereign.packs.pack;

import org.sovereign.packs.signing.StreamingHasher;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A {@code .mpack} archive opened for safe extraction. {@link #open} checks every entry up front: safe
 * names, STORED only, no duplicates, a bounded entry count, and declared sizes that fit inside the archive
 * (zip bomb guard). The caller closes the archive.
 */
final class MpackArchive implements Closeable {
    static final int MAX_ENTRIES = 100_000;

    private final ZipFile zip;
    private final List<ZipEntry> files;
    private final long totalBytes;

    private MpackArchive(ZipFile zip, List<ZipEntry> files, long totalBytes) {
        this.zip = zip;
        this.files = files;
        this.totalBytes = totalBytes;
    }

    static MpackArchive open(Path archive) throws IOException {
        long archiveSize = Files.size(archive);
        ZipFile zip;
        try {
            zip = new ZipFile(archive.toFile());
        } catch (ZipException e) {
            throw new UnsafeArchiveException("'" + archive.getFileName() + "' is not a readable .mpack archive.");
        }
        try {
            List<ZipEntry> files = new ArrayList<>();
            Set<String> names = new HashSet<>();
            long total = 0;
            int count = 0;
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (++count > MAX_ENTRIES) {
                    throw new UnsafeArchiveException("The archive has more than " + MAX_ENTRIES + " entries.");
                }
                String name = e.getName();
                boolean dir = name.endsWith("/");
                String path = dir ? name.substring(0, name.length() - 1) : name;
                PackPaths.problem(path).ifPresent(p -> {
                    throw new UnsafeArchiveException("The archive has an entry with " + p + "; refused.");
                });
                if (e.getMethod() != ZipEntry.STORED) {
                    throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(path)
                            + "' is compressed; .mpack entries must be stored uncompressed.");
                }
                if (!names.add(path)) {
                    throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(path) + "' appears twice.");
                }
                if (dir) {
                    continue;
                }
                long size = e.getSize();
                if (size < 0 || e.getCompressedSize() != size) {
                    throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(path)
                            + "' does not declare a consistent size.");
                }
                total += size;
                if (total > archiveSize) {
                    throw new UnsafeArchiveException("The archive declares more content than its own size of "
                            + archiveSize + " bytes; refused as a possible zip bomb.");
                }
                files.add(e);
            }
            return new MpackArchive(zip, Collections.unmodifiableList(files), total);
        } catch (RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** Sum of the declared sizes of all file entries. */
    long totalBytes() {
        return totalBytes;
    }

    /** Extracts every file entry under {@code dir} (which must exist), copying through {@code copier}. */
    void extractTo(Path dir, StreamingHasher copier) throws IOException {
        for (ZipEntry e : files) {
            String name = e.getName();
            Path target = dir.resolve(name).normalize();
            if (!target.startsWith(dir)) {
                throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(name) + "' leaves the pack folder.");
            }
            try {
                Files.createDirectories(target.getParent());
            } catch (FileAlreadyExistsException ex) {
                throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(name)
                        + "' is below another entry that is a file.");
            }
            long copied;
            try (InputStream in = zip.getInputStream(e);
                 OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                copied = copier.copy(in, out, e.getSize());
            } catch (FileAlreadyExistsException ex) {
                throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(name) + "' clashes with a folder.");
            }
            if (copied != e.getSize()) {
                throw new UnsafeArchiveException("Archive entry '" + PackPaths.printable(name)
                        + "' does not hold the " + e.getSize() + " bytes it declares.");
            }
        }
    }

    @Override
    public void close() throws IOException {
        zip.close();
    }
}
