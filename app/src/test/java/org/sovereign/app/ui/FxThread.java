package org.sovereign.app.ui;

import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

/**
 * For view-model tests without a window: JavaFX properties need no toolkit, but a {@code BackgroundTask} posts its
 * outcome to the FX thread. These helpers start the toolkit once (headless, no stage shown), run a view-model call on
 * the FX thread, as the window would, and return after the FX events it queued (task handlers, and the tasks those
 * start with {@code BackgroundTasks.sameThread()}) have run.
 */
public final class FxThread {

    private FxThread() {
    }

    /** Starts the JavaFX toolkit if no test has yet (call from {@code @BeforeAll}). */
    public static void start() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    /** Runs {@code action} on the FX thread, then lets the FX thread finish what it queued. */
    public static void run(Runnable action) throws Exception {
        call(() -> {
            action.run();
            return null;
        });
    }

    /** Calls {@code action} on the FX thread, lets the FX thread finish what it queued, and returns the result. */
    public static <T> T call(Callable<T> action) throws Exception {
        T result = Platform.isFxApplicationThread() ? action.call()
                : WaitForAsyncUtils.asyncFx(action).get(60, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        return result;
    }
}
