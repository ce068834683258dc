package org.sovereign.app.ui.tasks;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.concurrent.Task;

/**
 * One piece of background work with progress, cancel and typed error handlers. Handlers run on the JavaFX
 * thread. Whatever the outcome, the {@link #andFinally(Runnable) andFinally} actions run first, then the outcome's
 * handler. A failure is logged here, once, and then handed to the first handler whose type matches (in the order
 * they were added); a failure that no handler takes is logged as an error and otherwise dropped.
 *
 * @param <T> the result type
 */
public final class BackgroundTask<T> extends Task<T> {

    private static final Logger LOG = LoggerFactory.getLogger(BackgroundTask.class);

    /** The work itself: plain Java, no JavaFX. Report progress and poll for cancellation through {@code progress}. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Progress progress) throws Exception;
    }

    private record ErrorHandler<E extends Throwable>(Class<E> type, Consumer<? super E> handler) {
        boolean accept(Throwable error) {
            if (!type.isInstance(error)) {
                return false;
            }
            handler.accept(type.cast(error));
            return true;
        }
    }

    private final Work<T> work;
    private final Executor executor;
    private final List<ErrorHandler<?>> errorHandlers = new ArrayList<>();
    private Consumer<? super T> onSuccess = result -> { };
    private Runnable onCancelled = () -> { };
    private Runnable andFinally = () -> { };

    BackgroundTask(String title, Work<T> work, Executor executor) {
        this.work = Objects.requireNonNull(work);
        this.executor = executor;
        updateTitle(title);
        setOnSucceeded(e -> {
            andFinally.run();
            onSuccess.accept(getValue());
        });
        setOnCancelled(e -> {
            andFinally.run();
            onCancelled.run();
        });
        setOnFailed(e -> {
            andFinally.run();
            dispatch(getException());
        });
    }

    public BackgroundTask<T> onSuccess(Consumer<? super T> handler) {
        this.onSuccess = Objects.requireNonNull(handler);
        return this;
    }

    public <E extends Throwable> BackgroundTask<T> onError(Class<E> type, Consumer<? super E> handler) {
        errorHandlers.add(new ErrorHandler<>(type, handler));
        return this;
    }

    public BackgroundTask<T> onCancelled(Runnable handler) {
        this.onCancelled = Objects.requireNonNull(handler);
        return this;
    }

    /**
     * Adds an action that runs once the task has ended, however it ended (success, failure or cancel), on the JavaFX
     * thread, before that outcome's handler: the place to clear a busy flag, so that a handler which starts new work
     * can set it again. Actions added more than once run in the order they were added.
     */
    public BackgroundTask<T> andFinally(Runnable action) {
        Objects.requireNonNull(action);
        Runnable before = andFinally;
        this.andFinally = () -> {
            before.run();
            action.run();
        };
        return this;
    }

    /** Submits the task to the executor and returns it (bind to its progress, message and running properties). */
    public BackgroundTask<T> start() {
        executor.execute(this);
        return this;
    }

    @Override
    protected T call() throws Exception {
        try {
            return work.run(new Progress() {
                @Override
                public void update(long done, long total, String message) {
                    updateProgress(done, total);
                    updateMessage(message);
                }

                @Override
                public boolean isCancelled() {
                    return BackgroundTask.this.isCancelled();
                }
            });
        } catch (CancellationException e) {
            cancel(false);
            throw e;
        }
    }

    private void dispatch(Throwable error) {
        if (error instanceof UserFacingException) {
            LOG.info("{}: {}", getTitle(), error.getMessage());
        } else {
            LOG.error("{} failed", getTitle(), error);
        }
        for (ErrorHandler<?> handler : errorHandlers) {
            if (handler.accept(error)) {
                return;
            }
        }
    }
}
