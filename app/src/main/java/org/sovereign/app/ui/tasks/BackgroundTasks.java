package org.sovereign.app.ui.tasks;

import org.sovereign.core.services.IdleMemory;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs long work off the JavaFX thread. Every screen gets it from the composition root; tests pass a
 * same-thread executor ({@link #sameThread()}) so results are there when the call returns.
 */
public final class BackgroundTasks {

    private final Executor executor;

    public BackgroundTasks(Executor executor) {
        this.executor = executor;
    }

    /**
     * A pool of daemon threads, so a running task never keeps the application from exiting. When the tasks are done
     * and nothing new starts for a few seconds, the heap they used is given back to the system ({@link IdleMemory}).
     */
    public static BackgroundTasks daemonThreads() {
        AtomicInteger counter = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sovereign-task-" + counter.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new BackgroundTasks(tracked(pool, IdleMemory.afterFiveQuietSeconds()));
    }

    /** {@code executor}, telling {@code memory} when each task starts and ends. */
    static Executor tracked(Executor executor, IdleMemory memory) {
        return work -> {
            memory.workStarted();
            try {
                executor.execute(() -> {
                    try {
                        work.run();
                    } finally {
                        memory.workEnded();
                    }
                });
            } catch (RuntimeException e) {
                memory.workEnded(); // rejected: it never ran
                throw e;
            }
        };
    }

    /**
     * Runs each task's work on the calling thread, so it is finished when {@code start()} returns (for tests).
     * The handlers still run on the FX thread as the next FX event, as JavaFX's {@code Task} posts its state.
     */
    public static BackgroundTasks sameThread() {
        return new BackgroundTasks(Runnable::run);
    }

    /** Prepares a task; register handlers on the result, then call {@link BackgroundTask#start()}. */
    public <T> BackgroundTask<T> task(String title, BackgroundTask.Work<T> work) {
        return new BackgroundTask<>(title, work, executor);
    }
}
