package org.sovereign.packs.runtime;

import org.junit.jupiter.api.Test;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelCacheTest {

    /** Counts how often it was opened and closed, and refuses to be used after closing. */
    static final class Counted implements AutoCloseable {
        static final AtomicInteger OPENED = new AtomicInteger();
        final String name;
        volatile boolean closed;

        Counted(String name) {
            this.name = name;
            OPENED.incrementAndGet();
        }

        String use() {
            if (closed) {
                throw new IllegalStateException(name + " used after close");
            }
            return name;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static ModelCache.Key key(String pack) {
        return new ModelCache.Key(pack, "digest-" + pack, "chat");
    }

    private static ModelCache.Lease<Counted> get(ModelCache cache, String pack, Object config, List<Counted> made) {
        return cache.acquire(key(pack), config, 100, Counted.class, () -> {
            Counted c = new Counted(pack);
            made.add(c);
            return c;
        });
    }

    @Test
    void aModelIsLoadedOnceAndReusedAcrossLeases() {
        ModelCache cache = new ModelCache(3, 1_000);
        List<Counted> made = new ArrayList<>();
        try (var a = get(cache, "a", 2, made)) {
            assertThat(a.model().use()).isEqualTo("a");
        }
        try (var again = get(cache, "a", 2, made)) {
            assertThat(again.model()).isSameAs(made.get(0));
        }
        assertThat(made).hasSize(1);
        assertThat(made.get(0).closed).as("closing a lease keeps the model loaded").isFalse();
        assertThat(cache.loaded()).singleElement().satisfies(l -> assertThat(l.inUse()).isZero());
    }

    @Test
    void retiringAModelInUseClosesItOnlyWhenTheLastLeaseCloses() {
        ModelCache cache = new ModelCache(3, 1_000);
        List<Counted> made = new ArrayList<>();
        var first = get(cache, "a", 2, made);
        var second = get(cache, "a", 2, made);
        assertThat(cache.retire(k -> k.pack().equals("a"))).isEqualTo(1);
        assertThat(cache.loaded()).isEmpty();
        assertThat(first.model().use()).as("still usable by the running task").isEqualTo("a");
        first.close();
        first.close(); // twice is harmless and must not release the other lease
        assertThat(made.get(0).closed).isFalse();
        second.close();
        assertThat(made.get(0).closed).isTrue();

        try (var fresh = get(cache, "a", 2, made)) {
            assertThat(fresh.model()).isNotSameAs(made.get(0));
        }
    }

    @Test
    void theLeastRecentlyUsedModelIsDroppedBeyondTheCountAndTheMemoryBudget() {
        ModelCache byCount = new ModelCache(2, 10_000);
        List<Counted> made = new ArrayList<>();
        get(byCount, "a", 1, made).close();
        get(byCount, "b", 1, made).close();
        get(byCount, "a", 1, made).close(); // a is now the most recent
        get(byCount, "c", 1, made).close();
        assertThat(byCount.loaded()).extracting(l -> l.key().pack()).containsExactly("c", "a");
        assertThat(made).filteredOn(c -> c.closed).extracting(c -> c.name).containsExactly("b");

        ModelCache byBytes = new ModelCache(10, 250); // each model is charged 100 bytes
        List<Counted> more = new ArrayList<>();
        var held = get(byBytes, "x", 1, more);
        get(byBytes, "y", 1, more).close();
        get(byBytes, "z", 1, more).close();
        assertThat(byBytes.loaded()).extracting(l -> l.key().pack()).containsExactly("z", "y");
        assertThat(more.get(0).closed).as("evicted while leased: closed later").isFalse();
        assertThat(held.model().use()).isEqualTo("x");
        held.close();
        assertThat(more.get(0).closed).isTrue();
    }

    @Test
    void aChangedConfigurationReloadsTheModel() {
        ModelCache cache = new ModelCache(3, 1_000);
        List<Counted> made = new ArrayList<>();
        get(cache, "a", 4, made).close();
        get(cache, "a", 2, made).close();
        assertThat(made).hasSize(2);
        assertThat(made.get(0).closed).isTrue();
        assertThat(cache.loaded()).singleElement().satisfies(l -> assertThat(l.config()).isEqualTo(2));
    }

    @Test
    void aFailedLoadLeavesNothingCached() {
        ModelCache cache = new ModelCache(3, 1_000);
        assertThatThrownBy(() -> cache.acquire(key("bad"), 1, 10, Counted.class, () -> {
            throw new IllegalStateException("corrupt");
        })).hasMessage("corrupt");
        assertThat(cache.loaded()).isEmpty();
    }

    @Test
    void concurrentUsersOfOneKeyShareOneLoadOfARealModel() throws Exception {
        ModelCache cache = new ModelCache(2, Long.MAX_VALUE);
        AtomicInteger loads = new AtomicInteger();
        int users = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(users);
        try {
            List<Future<OnnxDecoderModel>> results = new ArrayList<>();
            for (int i = 0; i < users; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try (var lease = cache.acquire(new ModelCache.Key("tiny", "d", "chat"), 1, 1, OnnxDecoderModel.class,
                            () -> {
                                loads.incrementAndGet();
                                return OnnxDecoderModel.open(TinyLlamaFixture.DIR,
                                        TinyLlamaFixture.DIR.resolve("model.onnx"), new DecoderOptions(1));
                            })) {
                        assertThat(lease.model().config().contextLimit()).isPositive();
                        return lease.model();
                    }
                }));
            }
            start.countDown();
            OnnxDecoderModel first = results.get(0).get(60, TimeUnit.SECONDS);
            for (Future<OnnxDecoderModel> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isSameAs(first);
            }
            assertThat(loads).hasValue(1);
        } finally {
            pool.shutdownNow();
            cache.close();
        }
    }
}
