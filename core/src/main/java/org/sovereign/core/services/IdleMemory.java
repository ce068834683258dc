package org.sovereign.core.services;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives the Java heap that a burst of work used back to the operating system once the workstation is quiet again:
 * one full collection a few seconds after the last background task ended, none while work is running and none while
 * the workstation just sits idle.
 *
 * <p>Why by hand: loading a model, indexing or answering grows the heap, and on JDK 17 G1 returns committed heap to
 * the system only after a full collection (its periodic concurrent cycles do not shrink the heap). Without this an
 * idle workstation kept 60-100 MB of empty heap (docs/benchmarks.md, "Idle memory"). The pause of that one
 * collection (tens of milliseconds at the heap sizes we see) falls when nothing is happening.
 */
public final class IdleMemory {

    private static final Logger LOG = LoggerFactory.getLogger(IdleMemory.class);

    private final ScheduledExecutorService timer;
    private final long quietMillis;
    private final Runnable collect;
    private int running;
    private ScheduledFuture<?> pending;

    /**
     * @param quiet   how long nothing must run before collecting
     * @param collect what to run then (production: {@link System#gc()})
     * @param timer   runs {@code collect}; owned by the caller
     */
    public IdleMemory(Duration quiet, Runnable collect, ScheduledExecutorService timer) {
        this.quietMillis = quiet.toMillis();
        this.collect = collect;
        this.timer = timer;
    }

    /** Collects 5 s after the last task, on a daemon thread of its own. */
    public static IdleMemory afterFiveQuietSeconds() {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sovereign-idle-memory");
            t.setDaemon(true);
            return t;
        });
        return new IdleMemory(Duration.ofSeconds(5), System::gc, timer);
    }

    /** A task started: nothing is collected until every running task has ended. */
    public synchronized void workStarted() {
        running++;
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    /** A task ended (done, failed or cancelled): collect once the quiet time has passed with nothing new. */
    public synchronized void workEnded() {
        running = Math.max(0, running - 1);
        if (running == 0) {
            if (pending != null) {
                pending.cancel(false);
            }
            pending = timer.schedule(this::collectIfStillQuiet, quietMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void collectIfStillQuiet() {
        synchronized (this) {
            if (running > 0) {
                return;
            }
            pending = null;
        }
        LOG.debug("Quiet after background work: returning unused heap");
        collect.run();
    }
}
