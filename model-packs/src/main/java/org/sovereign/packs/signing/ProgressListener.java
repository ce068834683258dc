package org.sovereign.packs.signing;

/**
 * Receives progress of long file operations. Called on the working thread, after each buffer; must be
 * quick and must not throw.
 */
@FunctionalInterface
public interface ProgressListener {
    /** Ignores progress. */
    ProgressListener NONE = (done, total) -> { };

    /** {@code bytesDone} of {@code bytesTotal} bytes have been processed. */
    void onProgress(long bytesDone, long bytesTotal);
}
