package org.sovereign.core.services;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class IdleMemoryTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger collections = new AtomicInteger();
    private final CountDownLatch collected = new CountDownLatch(1);
    private final IdleMemory memory = new IdleMemory(Duration.ofMillis(100), () -> {
        collections.incrementAndGet();
        collected.countDown();
    }, timer);

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    /** Waits until everything the timer had due by now has run (the timer is single-threaded and ordered). */
    private void settle(long millis) throws Exception {
        timer.schedule(() -> { }, millis, TimeUnit.MILLISECONDS).get(10, TimeUnit.SECONDS);
    }

    @Test
    void collectsOnceAfterTheLastTaskEndsAndThenLeavesAnIdleMachineAlone() throws Exception {
        memory.workStarted();
        memory.workStarted();
        memory.workEnded();
        settle(300);
        assertThat(collections).as("one task is still running").hasValue(0);

        memory.workEnded();
        assertThat(collected.await(10, TimeUnit.SECONDS)).isTrue();
        settle(300);
        assertThat(collections).as("once, not again and again while idle").hasValue(1);
    }

    @Test
    void newWorkWithinTheQuietTimePostponesTheCollection() throws Exception {
        memory.workStarted();
        memory.workEnded();
        memory.workStarted(); // before the 100 ms have passed
        settle(300);
        assertThat(collections).hasValue(0);

        memory.workEnded();
        assertThat(collected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(collections).hasValue(1);
    }

    @Test
    void nothingHappensWithoutWork() throws Exception {
        settle(300);
        assertThat(collections).hasValue(0);
    }
}
