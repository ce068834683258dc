package org.sovereign.packs.generation;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lets another thread stop a running generation. The generation checks it before every model step, so it ends
 * at most one step after {@link #cancel()}. One signal per generation; it cannot be reset.
 */
public final class CancellationSignal {

    private final AtomicBoolean cancelled = new AtomicBoolean();

    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }
}
