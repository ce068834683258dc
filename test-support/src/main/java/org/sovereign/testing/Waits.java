package org.sovereign.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting in tests for work that finishes on another thread: poll a condition until it holds, within a bound, and
 * fail with a plain message when it never does. Not a clock: the bound only keeps a broken test from hanging.
 * A condition that throws (say, a control that is not there yet) counts as not holding yet; the last such exception
 * is the cause of the failure.
 */
public final class Waits {

    /** How long {@link #waitUntil(BooleanSupplier)} waits at most: generous, as the build machines are shared. */
    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(60);

    private static final long POLL_MILLIS = 10;

    private Waits() {
    }

    /** Waits until {@code condition} holds, at most {@link #DEFAULT_BOUND}. */
    public static void waitUntil(BooleanSupplier condition) {
        waitUntil("the condition", DEFAULT_BOUND, condition);
    }

    /**
     * Waits until {@code condition} holds, at most {@code bound}.
     *
     * @param what words for the condition, used in the failure message
     * @throws AssertionError when the bound passes first (or the waiting thread is interrupted)
     */
    public static void waitUntil(String what, Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        RuntimeException last = null;
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("Waited " + bound.toSeconds() + " s for " + what + "; it never held.", last);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted while waiting for " + what + ".", e);
            }
        }
    }
}
