package org.sovereign.app.ui.tasks;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sovereign.core.common.UserFacingException;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;

import static org.assertj.core.api.Assertions.assertThat;

class BackgroundTaskTest {

    private final BackgroundTasks tasks = BackgroundTasks.daemonThreads();

    @BeforeAll
    static void startToolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void deliversTheResultOnTheFxThreadWithProgress() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        List<Double> progressSeen = new ArrayList<>();
        BackgroundTask<String> task = WaitForAsyncUtils.asyncFx(() -> {
            BackgroundTask<String> t = tasks.task("counting", p -> {
                for (int i = 1; i <= 4; i++) {
                    p.update(i, 4, "step " + i);
                    Thread.sleep(20);
                }
                return "done on " + Thread.currentThread().getName();
            }).onSuccess(value -> result.complete(Platform.isFxApplicationThread() + " " + value));
            t.progressProperty().addListener((obs, o, n) -> progressSeen.add(n.doubleValue()));
            return t.start();
        }).get(5, TimeUnit.SECONDS);

        assertThat(result.get(5, TimeUnit.SECONDS)).startsWith("true done on sovereign-task-");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(WaitForAsyncUtils.asyncFx(task::getProgress).get(5, TimeUnit.SECONDS)).isEqualTo(1.0);
        assertThat(WaitForAsyncUtils.asyncFx(task::getMessage).get(5, TimeUnit.SECONDS)).isEqualTo("step 4");
        assertThat(progressSeen).isNotEmpty().allMatch(p -> p >= 0 && p <= 1);
    }

    @Test
    void sendsEachFailureToTheFirstHandlerOfItsType() throws Exception {
        CompletableFuture<String> handled = new CompletableFuture<>();
        WaitForAsyncUtils.asyncFx(() -> tasks.task("failing", p -> {
                    throw new UserFacingException("That file is not a model pack.");
                })
                .onError(IOException.class, e -> handled.complete("io"))
                .onError(UserFacingException.class, e -> handled.complete("user: " + e.getMessage()))
                .onError(Throwable.class, e -> handled.complete("anything"))
                .start());
        assertThat(handled.get(5, TimeUnit.SECONDS)).isEqualTo("user: That file is not a model pack.");

        CompletableFuture<String> fallback = new CompletableFuture<>();
        WaitForAsyncUtils.asyncFx(() -> tasks.task("failing", p -> {
                    throw new IOException("disk gone");
                })
                .onError(UserFacingException.class, e -> fallback.complete("user"))
                .onError(Throwable.class, e -> fallback.complete("anything: " + e.getMessage()))
                .start());
        assertThat(fallback.get(5, TimeUnit.SECONDS)).isEqualTo("anything: disk gone");
    }

    @Test
    void cancelStopsTheWorkAndCallsOnlyTheCancelHandler() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<String> outcome = new CompletableFuture<>();
        List<Integer> stepsDone = new ArrayList<>();
        BackgroundTask<Integer> task = WaitForAsyncUtils.asyncFx(() -> tasks.task("endless", p -> {
                    started.countDown();
                    for (int i = 0; i < 10_000; i++) {
                        p.checkCancelled();
                        synchronized (stepsDone) {
                            stepsDone.add(i);
                        }
                        Thread.sleep(5);
                    }
                    return stepsDone.size();
                })
                .onSuccess(n -> outcome.complete("finished"))
                .onCancelled(() -> outcome.complete("cancelled"))
                .onError(Throwable.class, e -> outcome.complete("failed"))
                .start()).get(5, TimeUnit.SECONDS);

        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        WaitForAsyncUtils.asyncFx(() -> task.cancel()).get(5, TimeUnit.SECONDS);

        assertThat(outcome.get(5, TimeUnit.SECONDS)).isEqualTo("cancelled");
        int afterCancel;
        synchronized (stepsDone) {
            afterCancel = stepsDone.size();
        }
        Thread.sleep(100);
        synchronized (stepsDone) {
            assertThat(stepsDone).as("no work after cancel").hasSizeLessThanOrEqualTo(afterCancel + 1).hasSizeLessThan(10_000);
        }
    }

    @Test
    void theSameThreadExecutorRunsTheWorkBeforeStartReturns() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        WaitForAsyncUtils.asyncFx(() -> {
            BackgroundTasks.sameThread().task("inline", p -> {
                        events.add("work on FX thread: " + Platform.isFxApplicationThread());
                        return 42;
                    })
                    .onSuccess(v -> events.add("success " + v))
                    .start();
            events.add("start returned");
        }).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(events).containsExactly("work on FX thread: true", "start returned", "success 42");
    }

    @Test
    void andFinallyRunsOnTheFxThreadBeforeTheHandlerOfEachOutcome() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        Runnable fin = () -> events.add("finally on FX thread: " + Platform.isFxApplicationThread());
        WaitForAsyncUtils.asyncFx(() -> {
            BackgroundTasks.sameThread().task("succeeds", p -> 1)
                    .onSuccess(v -> events.add("success"))
                    .onError(Throwable.class, e -> events.add("error"))
                    .andFinally(fin)
                    .start();
        }).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(events).containsExactly("finally on FX thread: true", "success");

        events.clear();
        WaitForAsyncUtils.asyncFx(() -> {
            BackgroundTasks.sameThread().task("fails", p -> {
                        throw new UserFacingException("That file is not a model pack.");
                    })
                    .onSuccess(v -> events.add("success"))
                    .onError(UserFacingException.class, e -> events.add("error: " + e.getMessage()))
                    .andFinally(fin)
                    .andFinally(() -> events.add("second action"))
                    .start();
        }).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(events).containsExactly("finally on FX thread: true", "second action",
                "error: That file is not a model pack.");

        events.clear();
        WaitForAsyncUtils.asyncFx(() -> {
            BackgroundTasks.sameThread().task("stops itself", p -> {
                        throw new CancellationException("stopped");
                    })
                    .onSuccess(v -> events.add("success"))
                    .onCancelled(() -> events.add("cancelled"))
                    .onError(Throwable.class, e -> events.add("error"))
                    .andFinally(fin)
                    .start();
        }).get(5, TimeUnit.SECONDS);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(events).containsExactly("finally on FX thread: true", "cancelled");
    }
}
