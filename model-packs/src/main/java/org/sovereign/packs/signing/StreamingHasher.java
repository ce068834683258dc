package org.sovereign.packs.signing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;

/**
 * Streams files through SHA-256 (or copies streams) in 64 KiB buffers, reporting cumulative progress
 * against a fixed total and checking the cancel flag before every buffer. One instance serves one
 * operation on one thread; it is not thread-safe. Blocks on file I/O.
 */
public final class StreamingHasher {
    /** Read buffer size. */
    public static final int BUFFER_SIZE = 64 * 1024;

    private final long bytesTotal;
    private final ProgressListener progress;
    private final BooleanSupplier cancel;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private long bytesDone;

    /**
     * @param bytesTotal the total reported to {@code progress}
     * @param progress   progress receiver, {@link ProgressListener#NONE} for none
     * @param cancel     polled before each buffer; when true, {@link OperationCancelledException} is thrown
     */
    public StreamingHasher(long bytesTotal, ProgressListener progress, BooleanSupplier cancel) {
        this.bytesTotal = bytesTotal;
        this.progress = progress == null ? ProgressListener.NONE : progress;
        this.cancel = cancel == null ? () -> false : cancel;
    }

    /** Lowercase hex SHA-256 of a regular file; symbolic links are not followed (opening one fails). */
    public String sha256(Path file) throws IOException {
        MessageDigest digest = newSha256();
        ByteBuffer wrapped = ByteBuffer.wrap(buffer);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            while (true) {
                checkCancel();
                wrapped.clear();
                int n = channel.read(wrapped);
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                advance(n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Copies {@code in} to {@code out}, at most {@code limit} bytes. Neither stream is closed.
     *
     * @return the number of bytes copied; {@code limit + 1} means the input holds more than {@code limit}
     */
    public long copy(InputStream in, OutputStream out, long limit) throws IOException {
        long copied = 0;
        while (true) {
            checkCancel();
            int want = (int) Math.min(buffer.length, limit + 1 - copied);
            if (want <= 0) {
                return copied;
            }
            int n = in.read(buffer, 0, want);
            if (n < 0) {
                return copied;
            }
            copied += n;
            if (copied > limit) {
                return copied;
            }
            out.write(buffer, 0, n);
            advance(n);
        }
    }

    /** Bytes processed so far. */
    public long bytesDone() {
        return bytesDone;
    }

    /** Throws {@link OperationCancelledException} when the cancel flag is raised. */
    public void checkCancel() {
        if (cancel.getAsBoolean()) {
            throw new OperationCancelledException();
        }
    }

    private void advance(int n) {
        bytesDone += n;
        progress.onProgress(bytesDone, bytesTotal);
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
