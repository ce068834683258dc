package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 of files, remembered in this process's memory only, so that checking the same unchanged file again (every
 * request re-checks the pack it uses) costs a {@code stat} instead of a full read.
 *
 * <p>A remembered digest is used only while the file keeps the same identity and times: device and inode
 * ({@code fileKey}), size, modification time and the status-change time ({@code ctime}). Rewriting a file in place
 * changes its ctime even when its size and modification time are put back, and ctime cannot be set by a program
 * (only by changing the system clock); replacing the file gives a new inode. Nothing is kept on disk, where it could
 * be edited along with the file. Where the file system does not report ctime and inode (Windows), nothing is
 * remembered and every call reads the file.
 */
public final class FileDigestCache implements FileDigester {

    /** The process-wide instance. */
    public static final FileDigestCache SHARED = new FileDigestCache();

    private final Map<Path, Entry> entries = new ConcurrentHashMap<>();

    private record Identity(Object fileKey, long size, FileTime modified, Object changed) {
    }

    private record Entry(Identity identity, String sha256) {
    }

    @Override
    public String sha256(Path file) throws IOException {
        Path key = file.toAbsolutePath().normalize();
        Identity before = identity(key);
        if (before != null) {
            Entry known = entries.get(key);
            if (known != null && known.identity().equals(before)) {
                return known.sha256();
            }
        }
        String digest = new StreamingHasher(0, null, null).sha256(key);
        Identity after = identity(key);
        // remembered only if nothing changed while it was read
        if (before != null && before.equals(after)) {
            entries.put(key, new Entry(before, digest));
        } else {
            entries.remove(key);
        }
        return digest;
    }

    /** Forgets everything (for tests and benchmarks that want a cold check). */
    public void clear() {
        entries.clear();
    }

    private static Identity identity(Path file) throws IOException {
        BasicFileAttributes basic = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (basic.fileKey() == null) {
            return null;
        }
        Object ctime;
        try {
            ctime = Files.getAttribute(file, "unix:ctime", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
        return new Identity(basic.fileKey(), basic.size(), basic.lastModifiedTime(), Objects.requireNonNull(ctime));
    }
}
