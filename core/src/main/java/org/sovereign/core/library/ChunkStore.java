package org.sovereign.core.library;

import org.sovereign.store.vault.VaultSession;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * The library's chunk vectors in memory while the vault is unlocked, for fast vector search (see ADR-0007).
 *
 * <p>One store per unlocked {@link VaultSession}, shared by every {@link LibraryService} made on it. Vectors are held
 * quantised to 7-bit codes (one scale per vector), two codes per int, in one contiguous {@code int[]}, with parallel
 * primitive arrays for the chunk id, the embedding item id and the scope id of each row: no object per chunk.
 * 100,000 chunks of 384 dimensions take 77 MB of codes (plain floats would take 154 MB). Search ranks every row by an
 * integer dot product with the quantised query (see {@link #topRows}), then re-scores the best candidates with their
 * exact float vectors (read back from the vault), so the final order is that of the exact dot product.
 *
 * <p>Empty until {@link #ensureLoaded} runs (the first search loads it from the vault); after that the indexer keeps
 * it up to date through {@link #put}, {@link #removeChunks} and {@link #removeScope}. Locking the session zeroes
 * every array and drops the store. Thread-safe.
 */
public final class ChunkStore {

    private static final int INITIAL_ROWS = 1024;

    /**
     * A new, empty (not loaded) store for {@code session}, zeroed and closed when the session locks. The unlocked
     * workspace owns one per session and hands it to every {@link LibraryService} on that session.
     */
    public static ChunkStore forSession(VaultSession session) {
        ChunkStore created = new ChunkStore();
        if (session.isLocked()) {
            created.closed = true; // nothing to cache for a locked session; the caller's vault calls will fail
            return created;
        }
        session.onLock(created::close);
        return created;
    }

    /**
     * A row reference from {@link #nearest}: the chunk, the embedding item that holds its exact vector, and the exact
     * dot product of that vector with the query (the cosine similarity, both being unit vectors); 0 before re-scoring.
     */
    public record Candidate(long chunkId, long embeddingItemId, long scopeId, double score) {
    }

    /** Reads a chunk's exact vector back (from the vault), or null if it is gone. */
    @FunctionalInterface
    public interface ExactVectors {
        float[] vector(long embeddingItemId);
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean loaded;
    private boolean closed;
    /** Set (without the lock) as soon as the session locks, so a load in progress stops at its next row. */
    private volatile boolean closing;
    private int dim;
    /** Ints per row: two 7-bit codes per int (dimensions padded to an even count). */
    private int width;
    private int size;
    private int[] codes = new int[0];
    private float[] scales = new float[0];
    /** Per row, the sum of its codes (for the offset correction of the dot product). */
    private int[] codeSums = new int[0];
    private long[] chunkIds = new long[0];
    private long[] embeddingIds = new long[0];
    private long[] scopeIds = new long[0];
    /** chunk id -> row, open addressing; {@code keys[i] == EMPTY} marks a free slot. */
    private long[] slotKeys = new long[0];
    private int[] slotRows = new int[0];
    private static final long EMPTY = Long.MIN_VALUE;

    ChunkStore() {
    }

    /** Whether the vectors have been loaded from the vault (and are kept up to date since). */
    public boolean isLoaded() {
        lock.readLock().lock();
        try {
            return loaded;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Loads the store once: runs {@code loader} (which calls {@link #put} for every stored vector) unless that already
     * happened. Writers and searches wait meanwhile, so nothing indexed during the load is lost or duplicated and no
     * search sees a half-loaded store. If {@code loader} throws (for instance a {@link
     * java.util.concurrent.CancellationException} because the load was cancelled or the vault locked), every row
     * loaded so far is zeroed and dropped and the store stays unloaded, so the next search loads it again.
     */
    public void ensureLoaded(Consumer<ChunkStore> loader) {
        if (isLoaded()) {
            return;
        }
        lock.writeLock().lock();
        try {
            if (loaded || closed) {
                return;
            }
            loaded = true; // put() accepts rows from here on
            try {
                loader.accept(this);
                trim();
            } catch (RuntimeException e) {
                clear();
                loaded = false;
                throw e;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Number of vectors held. */
    public int size() {
        lock.readLock().lock();
        try {
            return size;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Bytes held by the arrays (for reports). */
    public long memoryBytes() {
        lock.readLock().lock();
        try {
            return 4L * codes.length + 4L * scales.length + 4L * codeSums.length + 8L * (chunkIds.length + embeddingIds.length + scopeIds.length
                    + slotKeys.length) + 4L * slotRows.length;
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Adds (or replaces) the vector of a chunk. Ignored until the store is loaded: the load reads it from the vault then.
     * The caller keeps {@code vector}; it is copied (quantised).
     */
    public void put(long scopeId, long chunkId, long embeddingItemId, float[] vector) {
        lock.writeLock().lock();
        try {
            if (!loaded || closed) {
                return;
            }
            if (dim == 0) {
                dim = vector.length;
                width = (dim + 1) / 2;
            }
            if (vector.length != dim) {
                throw new IllegalArgumentException("A vector of " + vector.length + " dimensions in a store of " + dim);
            }
            int row = find(chunkId);
            if (row < 0) {
                grow(size + 1);
                row = size++;
                insertSlot(chunkId, row);
            }
            chunkIds[row] = chunkId;
            embeddingIds[row] = embeddingItemId;
            scopeIds[row] = scopeId;
            scales[row] = quantise(vector, codes, row * width);
            codeSums[row] = codeSum(codes, row * width, width);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes the vectors of these chunks (those it holds). */
    public void removeChunks(Iterable<Long> chunks) {
        lock.writeLock().lock();
        try {
            for (long chunkId : chunks) {
                int row = find(chunkId);
                if (row >= 0) {
                    removeRow(row);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes every vector of a scope (a forgotten source). */
    public void removeScope(long scopeId) {
        lock.writeLock().lock();
        try {
            for (int row = size - 1; row >= 0; row--) {
                if (scopeIds[row] == scopeId) {
                    removeRow(row);
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The {@code n} chunks whose vectors have the largest dot product with {@code query}, best first; ties go to the
     * lower (scope id, embedding item id), which is the order the vault lists them in. Approximate (7-bit) scores pick
     * {@code max(4n, n + 64)} candidates, which are re-scored exactly with {@code exact} (a float product summed in a
     * double, in dimension order).
     */
    public List<Candidate> nearest(float[] query, int n, ExactVectors exact) {
        Candidate[] candidates;
        lock.readLock().lock();
        try {
            if (size == 0 || n <= 0 || query.length != dim) {
                return List.of();
            }
            int pool = Math.min(size, Math.max(4 * n, n + 64));
            int[] q = new int[width];
            quantise(query, q, 0);
            // the query's two codes go into each int in the opposite order (see topRows)
            for (int i = 0; i < width; i++) {
                q[i] = (q[i] >>> 16) | ((q[i] & 0xFFFF) << 16);
            }
            int querySum = codeSum(q, 0, width);
            long[] rows = topRows(q, querySum, pool);
            candidates = new Candidate[rows.length];
            for (int i = 0; i < rows.length; i++) {
                int row = (int) rows[i];
                candidates[i] = new Candidate(chunkIds[row], embeddingIds[row], scopeIds[row], 0);
            }
        } finally {
            lock.readLock().unlock();
        }
        return rescore(candidates, query, n, exact); // outside the lock: it reads from the vault
    }

    private static List<Candidate> rescore(Candidate[] candidates, float[] query, int n, ExactVectors exact) {
        double[] scores = new double[candidates.length];
        Integer[] order = new Integer[candidates.length];
        int kept = 0;
        for (int i = 0; i < candidates.length; i++) {
            float[] v = exact.vector(candidates[i].embeddingItemId());
            if (v == null || v.length != query.length) {
                continue;
            }
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += query[d] * v[d];
            }
            scores[i] = dot;
            order[kept++] = i;
        }
        Integer[] live = Arrays.copyOf(order, kept);
        Arrays.sort(live, (a, b) -> {
            int c = Double.compare(scores[b], scores[a]);
            if (c != 0) {
                return c;
            }
            c = Long.compare(candidates[a].scopeId(), candidates[b].scopeId());
            return c != 0 ? c : Long.compare(candidates[a].embeddingItemId(), candidates[b].embeddingItemId());
        });
        List<Candidate> out = new ArrayList<>(Math.min(n, live.length));
        for (int i = 0; i < Math.min(n, live.length); i++) {
            Candidate c = candidates[live[i]];
            out.add(new Candidate(c.chunkId(), c.embeddingItemId(), c.scopeId(), scores[live[i]]));
        }
        return out;
    }

    /**
     * Rows of the {@code pool} best approximate scores (a bounded min-heap of (score, row) packed in longs).
     *
     * <p>Each int of a row holds two codes c0 + c1 * 2^16 (7-bit, unsigned: value + 64), the query's ints hold
     * q1 + q0 * 2^16. Bits 16-31 of their 32-bit product are then exactly c0*q0 + c1*q1 (at most 2 * 127 * 127, so
     * nothing carries over), so one int multiply and shift give two products. The loop is plain int arithmetic over
     * int arrays, which HotSpot compiles to SIMD instructions: about 5 ms for 100,000 x 384 on one core, five times
     * faster than a byte-per-code loop. The offsets are removed afterwards:
     * sum((c - 64)(q - 64)) = sum(cq) - 64 (sum c + sum q) + 4096 * 2 * width.
     */
    private long[] topRows(int[] q, int querySum, int pool) {
        long[] heap = new long[pool];
        int filled = 0;
        int[] c = codes;
        int w = width;
        int constant = OFFSET * OFFSET * 2 * w;
        for (int row = 0; row < size; row++) {
            int off = row * w;
            int acc = 0;
            for (int i = 0; i < w; i++) {
                acc += (c[off + i] * q[i]) >>> 16;
            }
            int dot = acc - OFFSET * (codeSums[row] + querySum) + constant;
            float score = dot * scales[row];
            long key = ((long) sortable(score) << 32) | (0xFFFFFFFFL & ~row); // lower row wins a tie
            if (filled < pool) {
                heap[filled] = key;
                siftUp(heap, filled++);
            } else if (key > heap[0]) {
                heap[0] = key;
                siftDown(heap, filled);
            }
        }
        long[] rows = new long[filled];
        for (int i = 0; i < filled; i++) {
            rows[i] = 0xFFFFFFFFL & ~heap[i];
        }
        return rows;
    }

    private static int sortable(float f) {
        int bits = Float.floatToIntBits(f);
        return bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
    }

    private static void siftUp(long[] heap, int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (heap[parent] <= heap[i]) {
                return;
            }
            long t = heap[parent];
            heap[parent] = heap[i];
            heap[i] = t;
            i = parent;
        }
    }

    private static void siftDown(long[] heap, int n) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int m = l + 1 < n && heap[l + 1] < heap[l] ? l + 1 : l;
            if (heap[i] <= heap[m]) {
                return;
            }
            long t = heap[m];
            heap[m] = heap[i];
            heap[i] = t;
            i = m;
        }
    }

    private static final int OFFSET = 64;

    /**
     * Quantises {@code v} to 7-bit codes (round(x / scale) + 64, scale = max|x| / 63, so 1..127), two per int
     * (c0 + c1 * 2^16; an odd last dimension is padded with the code of zero) into {@code out[off..]}; returns the scale.
     */
    static float quantise(float[] v, int[] out, int off) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 1 : max / 63f;
        for (int i = 0; i < (v.length + 1) / 2; i++) {
            int c0 = code(v, 2 * i, scale);
            int c1 = code(v, 2 * i + 1, scale);
            out[off + i] = c0 | (c1 << 16);
        }
        return max == 0 ? 0 : scale;
    }

    private static int code(float[] v, int i, float scale) {
        if (i >= v.length) {
            return OFFSET;
        }
        return Math.max(1, Math.min(127, Math.round(v[i] / scale) + OFFSET));
    }

    private static int codeSum(int[] codes, int off, int width) {
        int sum = 0;
        for (int i = 0; i < width; i++) {
            sum += (codes[off + i] & 0xFFFF) + (codes[off + i] >>> 16);
        }
        return sum;
    }

    /**
     * True once the session has begun to lock: a loader stops at its next row (checked without waiting for the lock
     * the load holds).
     */
    public boolean isClosing() {
        return closing;
    }

    /** Zeroes every array and refuses further use; called when the vault locks. */
    void close() {
        closing = true; // a load in progress stops at its next row, so the write lock below is not held for long
        lock.writeLock().lock();
        try {
            clear();
            closed = true;
            loaded = false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Whether the session this store belongs to has locked (the store is then empty for good). */
    boolean isClosed() {
        lock.readLock().lock();
        try {
            return closed;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The current code array itself (not a copy), so a test can check it is zeroed on lock. */
    int[] codesForTest() {
        lock.readLock().lock();
        try {
            return codes;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void clear() {
        Arrays.fill(codes, 0);
        Arrays.fill(scales, 0f);
        Arrays.fill(codeSums, 0);
        Arrays.fill(chunkIds, 0L);
        Arrays.fill(embeddingIds, 0L);
        Arrays.fill(scopeIds, 0L);
        Arrays.fill(slotKeys, 0L);
        Arrays.fill(slotRows, 0);
        codes = new int[0];
        scales = new float[0];
        codeSums = new int[0];
        chunkIds = new long[0];
        embeddingIds = new long[0];
        scopeIds = new long[0];
        slotKeys = new long[0];
        slotRows = new int[0];
        size = 0;
        dim = 0;
        width = 0;
    }

    private void removeRow(int row) {
        long chunkId = chunkIds[row];
        deleteSlot(chunkId);
        int last = size - 1;
        if (row != last) {
            System.arraycopy(codes, last * width, codes, row * width, width);
            scales[row] = scales[last];
            codeSums[row] = codeSums[last];
            chunkIds[row] = chunkIds[last];
            embeddingIds[row] = embeddingIds[last];
            scopeIds[row] = scopeIds[last];
            slotRows[slotOf(chunkIds[row])] = row;
        }
        Arrays.fill(codes, last * width, last * width + width, 0);
        scales[last] = 0;
        codeSums[last] = 0;
        chunkIds[last] = 0;
        embeddingIds[last] = 0;
        scopeIds[last] = 0;
        size--;
    }

    /** Drops the spare capacity left by growing (up to half the arrays after a load). */
    private void trim() {
        int capacity = size + INITIAL_ROWS;
        if (capacity >= chunkIds.length) {
            return;
        }
        int[] oldCodes = codes;
        codes = Arrays.copyOf(codes, capacity * width);
        Arrays.fill(oldCodes, 0);
        scales = Arrays.copyOf(scales, capacity);
        codeSums = Arrays.copyOf(codeSums, capacity);
        chunkIds = Arrays.copyOf(chunkIds, capacity);
        embeddingIds = Arrays.copyOf(embeddingIds, capacity);
        scopeIds = Arrays.copyOf(scopeIds, capacity);
        rehash(Integer.highestOneBit(capacity * 2 - 1) * 2);
    }

    private void grow(int rows) {
        if (rows <= chunkIds.length) {
            return;
        }
        int capacity = Math.max(INITIAL_ROWS, Math.max(rows, chunkIds.length + (chunkIds.length >> 1)));
        int[] oldCodes = codes;
        codes = Arrays.copyOf(codes, capacity * width);
        Arrays.fill(oldCodes, 0); // no stale copy of the vectors stays behind
        scales = Arrays.copyOf(scales, capacity);
        codeSums = Arrays.copyOf(codeSums, capacity);
        chunkIds = Arrays.copyOf(chunkIds, capacity);
        embeddingIds = Arrays.copyOf(embeddingIds, capacity);
        scopeIds = Arrays.copyOf(scopeIds, capacity);
        rehash(Integer.highestOneBit(capacity * 2 - 1) * 2);
    }

    // ---- chunk id -> row: open addressing with linear probing and backward-shift deletion ----

    private void rehash(int slots) {
        slotKeys = new long[slots];
        slotRows = new int[slots];
        Arrays.fill(slotKeys, EMPTY);
        for (int row = 0; row < size; row++) {
            insertSlot(chunkIds[row], row);
        }
    }

    private int home(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 40) & (slotKeys.length - 1);
    }

    private int slotOf(long key) {
        if (slotKeys.length == 0) {
            return -1;
        }
        int mask = slotKeys.length - 1;
        for (int i = home(key); ; i = (i + 1) & mask) {
            if (slotKeys[i] == key) {
                return i;
            }
            if (slotKeys[i] == EMPTY) {
                return -1;
            }
        }
    }

    private int find(long key) {
        int slot = slotOf(key);
        return slot < 0 ? -1 : slotRows[slot];
    }

    private void insertSlot(long key, int row) {
        int mask = slotKeys.length - 1;
        int i = home(key);
        while (slotKeys[i] != EMPTY && slotKeys[i] != key) {
            i = (i + 1) & mask;
        }
        slotKeys[i] = key;
        slotRows[i] = row;
    }

    private void deleteSlot(long key) {
        int i = slotOf(key);
        if (i < 0) {
            return;
        }
        int mask = slotKeys.length - 1;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (slotKeys[j] == EMPTY) {
                break;
            }
            int h = home(slotKeys[j]);
            // move slot j back to i if its home is not cyclically within (i, j]
            boolean between = i <= j ? (h > i && h <= j) : (h > i || h <= j);
            if (!between) {
                slotKeys[i] = slotKeys[j];
                slotRows[i] = slotRows[j];
                i = j;
            }
        }
        slotKeys[i] = EMPTY;
        slotRows[i] = 0;
    }
}
