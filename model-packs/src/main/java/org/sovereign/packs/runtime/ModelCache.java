package org.sovereign.packs.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Loaded models kept between uses, so a model's ONNX Runtime session is built once rather than for every question or
 * indexing run. Callers {@link #acquire} a {@link Lease}, use the model, and close the lease; the model stays loaded.
 *
 * <ul>
 *   <li>Keyed by pack, manifest digest and role: a re-installed pack with other content is a different key.</li>
 *   <li>Bounded: at most {@code maxModels} models and about {@code maxBytes} of model memory; beyond that the least
 *       recently used model is dropped. The model just loaded is always kept.</li>
 *   <li>Reference counted: a model that is dropped ({@link #retire}, eviction, a changed load configuration,
 *       {@link #close}) while leases are out is closed when the last lease is closed, never under a running
 *       inference. Several leases may use one model at once (ONNX Runtime sessions are thread-safe).</li>
 *   <li>A changed {@code config} (for example another thread count) reloads the model at the next acquire.</li>
 * </ul>
 * Thread-safe. Loading runs outside the cache's lock, so loading one model does not block using another.
 */
public final class ModelCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelCache.class);

    /**
     * What a cached model is.
     *
     * @param pack           the installed pack's id ({@code name-version})
     * @param manifestDigest SHA-256 of its manifest
     * @param role           what it is loaded as, e.g. {@code embedding} or {@code chat}
     */
    public record Key(String pack, String manifestDigest, String role) {
        public Key {
            Objects.requireNonNull(pack, "pack");
            Objects.requireNonNull(manifestDigest, "manifestDigest");
            Objects.requireNonNull(role, "role");
        }
    }

    /**
     * One cached model, as listings show it.
     *
     * @param config    how it was loaded (what the caller passed)
     * @param sizeBytes the memory it was charged with
     * @param inUse     leases currently out
     * @param model     the loaded model, or null while it is still loading
     */
    public record Loaded(Key key, Object config, long sizeBytes, int inUse, Object model) {
    }

    /** A use of a cached model. Close it when done (the model stays loaded); closing twice is harmless. */
    public static final class Lease<M> implements AutoCloseable {
        private final ModelCache cache;
        private final Entry entry;
        private final M model;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Lease(ModelCache cache, Entry entry, M model) {
            this.cache = cache;
            this.entry = entry;
            this.model = model;
        }

        public M model() {
            return model;
        }

        public Key key() {
            return entry.key;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                cache.release(entry);
            }
        }
    }

    private static final class Entry {
        final Key key;
        final Object config;
        final long sizeBytes;
        int refs;
        long lastUse;
        boolean retired;
        boolean closed;
        volatile AutoCloseable model;

        Entry(Key key, Object config, long sizeBytes) {
            this.key = key;
            this.config = config;
            this.sizeBytes = sizeBytes;
        }
    }

    private final int maxModels;
    private final long maxBytes;
    private final Map<Key, Entry> entries = new HashMap<>();
    private long useCounter;

    /**
     * @param maxModels most models kept loaded at once; at least 1
     * @param maxBytes  most model memory kept loaded (sum of the sizes given to {@link #acquire}); positive
     */
    public ModelCache(int maxModels, long maxBytes) {
        if (maxModels < 1 || maxBytes < 1) {
            throw new IllegalArgumentException("A model cache needs room for at least one model");
        }
        this.maxModels = maxModels;
        this.maxBytes = maxBytes;
    }

    public int maxModels() {
        return maxModels;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Returns a lease on the model for {@code key}, loading it with {@code loader} if it is not loaded with an equal
     * {@code config}. Blocks while the model loads (other threads asking for the same key wait for the same load).
     *
     * @param sizeBytes memory the model is charged with in the budget
     * @param type      the model's class (a cached model of another class for the same key is a programming error)
     * @throws RuntimeException whatever {@code loader} throws; nothing stays cached then
     */
    public <M extends AutoCloseable> Lease<M> acquire(Key key, Object config, long sizeBytes, Class<M> type,
                                                      Supplier<? extends M> loader) {
        List<AutoCloseable> toClose = new ArrayList<>();
        Entry entry;
        synchronized (this) {
            entry = entries.get(key);
            if (entry != null && !Objects.equals(entry.config, config)) {
                LOG.info("Reloading {} ({}): its load settings changed", key.pack(), key.role());
                retireLocked(entry, toClose);
                entry = null;
            }
            if (entry == null) {
                entry = new Entry(key, config, Math.max(0, sizeBytes));
                entries.put(key, entry);
            }
            entry.refs++;
            entry.lastUse = ++useCounter;
        }
        closeAll(toClose);
        M model;
        try {
            model = load(entry, type, loader);
        } catch (RuntimeException | Error e) {
            synchronized (this) {
                entry.refs--;
                if (entry.model == null && entries.get(key) == entry && entry.refs == 0) {
                    entries.remove(key);
                }
            }
            throw e;
        }
        synchronized (this) {
            evictOverBudgetLocked(entry, toClose);
        }
        closeAll(toClose);
        return new Lease<>(this, entry, model);
    }

    private static <M extends AutoCloseable> M load(Entry entry, Class<M> type, Supplier<? extends M> loader) {
        synchronized (entry) {
            if (entry.model == null) {
                M loaded = Objects.requireNonNull(loader.get(), "loader returned null");
                entry.model = loaded;
            }
            return type.cast(entry.model);
        }
    }

    /**
     * Drops every cached model whose key matches: closed now if idle, else when its last lease closes. The next
     * acquire of such a key loads afresh.
     *
     * @return how many models were dropped
     */
    public int retire(Predicate<Key> which) {
        List<AutoCloseable> toClose = new ArrayList<>();
        int count = 0;
        synchronized (this) {
            for (Entry e : new ArrayList<>(entries.values())) {
                if (which.test(e.key)) {
                    retireLocked(e, toClose);
                    count++;
                }
            }
        }
        closeAll(toClose);
        return count;
    }

    /** Drops every cached model (see {@link #retire}). */
    public int retireAll() {
        return retire(k -> true);
    }

    /** The models currently cached, most recently used first. */
    public synchronized List<Loaded> loaded() {
        return entries.values().stream()
                .sorted(Comparator.comparingLong((Entry e) -> e.lastUse).reversed())
                .map(e -> new Loaded(e.key, e.config, e.sizeBytes, e.refs, e.model))
                .toList();
    }

    /** Drops every model; models in use are closed when their leases close. The cache stays usable. */
    @Override
    public void close() {
        retireAll();
    }

    private void release(Entry entry) {
        AutoCloseable doomed = null;
        synchronized (this) {
            entry.refs--;
            if (entry.retired && entry.refs == 0 && !entry.closed && entry.model != null) {
                entry.closed = true;
                doomed = entry.model;
            }
        }
        if (doomed != null) {
            closeAll(List.of(doomed));
        }
    }

    private void retireLocked(Entry e, List<AutoCloseable> toClose) {
        if (entries.get(e.key) == e) {
            entries.remove(e.key);
        }
        e.retired = true;
        if (e.refs == 0 && !e.closed && e.model != null) {
            e.closed = true;
            toClose.add(e.model);
        }
    }

    private void evictOverBudgetLocked(Entry keep, List<AutoCloseable> toClose) {
        List<Entry> byAge = entries.values().stream()
                .filter(e -> e != keep)
                .sorted(Comparator.comparingLong(e -> e.lastUse))
                .toList();
        int i = 0;
        while (i < byAge.size() && (entries.size() > maxModels || totalBytesLocked() > maxBytes)) {
            Entry oldest = byAge.get(i++);
            LOG.info("Unloading {} ({}) to stay within {} models / {} MB", oldest.key.pack(), oldest.key.role(),
                    maxModels, maxBytes / 1_000_000);
            retireLocked(oldest, toClose);
        }
    }

    private long totalBytesLocked() {
        long sum = 0;
        for (Entry e : entries.values()) {
            sum += e.sizeBytes;
        }
        return sum;
    }

    private static void closeAll(List<AutoCloseable> models) {
        for (AutoCloseable m : models) {
            try {
                m.close();
            } catch (Exception e) {
                LOG.warn("A model did not close cleanly: {}", e.getMessage());
            }
        }
    }
}
