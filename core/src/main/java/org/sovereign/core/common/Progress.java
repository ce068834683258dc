package org.sovereign.core.common;

import java.util.concurrent.CancellationException;

/**
 * How a long-running service reports progress and learns that the person pressed Cancel.
 * Services stay free of JavaFX; the UI adapts this to a {@code javafx.concurrent.Task}, the CLI to stderr.
 */
public interface Progress {

    /** Reports that {@code done} of {@code total} units are finished; {@code message} is a short plain phrase. */
    void update(long done, long total, String message);

    /** True once the work should stop. */
    boolean isCancelled();

    /** Throws {@link CancellationException} if cancelled: call between steps. */
    default void checkCancelled() {
        if (isCancelled()) {
            throw new CancellationException("Cancelled");
        }
    }

    /** Progress that nobody watches and that is never cancelled. */
    Progress NONE = new Progress() {
        @Override
        public void update(long done, long total, String message) {
        }

        @Override
        public boolean isCancelled() {
            return false;
        }
    };
}
