package org.sovereign.core.packs;

import org.sovereign.core.common.Progress;
import org.sovereign.packs.signing.ProgressListener;

/**
 * Adapts core's one progress-and-cancel type ({@link Progress}, what every use case takes and every front end
 * provides) to model-packs' byte listener and cancel check, so that no caller outside {@code core.packs} deals with
 * the latter.
 */
final class ByteProgress {

    private ByteProgress() {
    }

    /** Bytes done of total, reported to {@code progress} as e.g. "Checking: 12.3 MB of 45.6 MB". */
    static ProgressListener of(Progress progress, String what) {
        return (done, total) -> progress.update(done, Math.max(total, 1), what + ": " + MemoryFit.size(done) + " of "
                + MemoryFit.size(total));
    }
}
