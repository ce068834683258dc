package org.sovereign.core.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.ItemInfo;
import org.sovereign.store.vault.KeywordIndex;
import org.sovereign.store.vault.Scope;
import org.sovereign.store.vault.VaultLockedException;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.HashingEmbedder;
import org.sovereign.testing.TestKdf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory chunk store behind vector search: same ranking as decrypting every stored vector (the former search),
 * kept up to date by indexing and forgetting, zeroed and dropped when the vault locks. Real vault, real files; the
 * vectors come from {@link HashingEmbedder}, a deterministic bag-of-words embedder, so many chunks index quickly.
 */
class ChunkStoreTest {

    private static final String PURPOSE = "private assistant";
    private static final String[] WORDS = ("apiary varroa colony queen drone nectar pollen honey frame brood comb wax "
            + "smoker hive swarm tomato courgette compost mulch seed soil trellis harvest orchard pruning graft cider "
            + "vault passphrase consent audit ledger signature digest model pack token embedding library passage "
            + "river bridge mountain valley forest meadow winter summer autumn spring rain frost").split(" ");

    @TempDir
    Path tmp;
    private LocalStore store;
    private final HashingEmbedder embedder = new HashingEmbedder();
    /** The session's vectors, as the unlocked workspace owns them: one store per session, shared by every library. */
    private ChunkStore vectors;

    @BeforeEach
    void setUp() {
        store = LocalStore.create(tmp.resolve("home"), "chunk store test passphrase".toCharArray(),
                TestKdf.FAST, Clock.systemUTC());
        vectors = ChunkStore.forSession(store.session());
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private LibraryService library() {
        return new LibraryService(store, vectors, new TextExtractor(), Chunker.defaults(), embedder);
    }

    private Path folder(String name, int files, long seed) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Random random = new Random(seed);
        for (int f = 0; f < files; f++) {
            StringBuilder text = new StringBuilder();
            int sentences = 10 + random.nextInt(30);
            for (int s = 0; s < sentences; s++) {
                int words = 6 + random.nextInt(12);
                for (int w = 0; w < words; w++) {
                    text.append(w == 0 ? "" : " ").append(WORDS[(int) Math.abs(random.nextGaussian() * 15) % WORDS.length]);
                }
                text.append(". ");
            }
            Files.writeString(dir.resolve("note-" + f + ".txt"), text);
        }
        return dir;
    }

    private void consentFor(Path source) {
        ConsentFixture.consent().purpose(PURPOSE).source(source).packs(embedder.packDigest())
                .operations(Operation.INDEX, Operation.EMBED, Operation.GENERATE).grantIn(store);
    }

    private long embeddingItems() {
        VaultSession s = store.session();
        return s.scopes().stream().filter(x -> x.kind().equals(LibraryService.SOURCE) && !x.isErased())
                .flatMap(x -> s.items(x.id()).stream()).filter(i -> i.kind().equals(LibraryService.EMBEDDING)).count();
    }

    /**
     * The search as it was before the chunk store: decrypt every vector of every live source on every query (with
     * the same query words and relevance floor).
     */
    private List<Long> referenceSearch(String query, int limit) {
        VaultSession session = store.session();
        Map<Long, Double> fused = new HashMap<>();
        List<KeywordIndex.Hit> keywordHits = session.keywordIndex().search(String.join(" ", QueryWords.of(query)),
                limit * 4);
        for (int rank = 0; rank < keywordHits.size(); rank++) {
            fused.merge(keywordHits.get(rank).itemId(), 1.0 / (60 + rank + 1), Double::sum);
        }
        float[] q = embedder.embed(List.of(query)).get(0);
        List<long[]> ids = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        for (Scope scope : session.scopes()) {
            if (!scope.kind().equals(LibraryService.SOURCE) || scope.isErased()) {
                continue;
            }
            for (ItemInfo info : session.items(scope.id())) {
                if (!info.kind().equals(LibraryService.EMBEDDING)) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(session.readItem(info.id()).orElseThrow()).order(ByteOrder.LITTLE_ENDIAN);
                long chunkId = b.getLong();
                double dot = 0;
                for (float v : q) {
                    dot += v * b.getFloat();
                }
                ids.add(new long[] {chunkId});
                scores.add(dot);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparingDouble((Integer i) -> scores.get(i)).reversed());
        for (int rank = 0; rank < Math.min(order.size(), limit * 4)
                && scores.get(order.get(rank)) >= LibraryService.RELEVANCE_FLOOR; rank++) {
            fused.merge(ids.get(order.get(rank))[0], 1.0 / (60 + rank + 1), Double::sum);
        }
        return fused.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(limit).map(Map.Entry::getKey).toList();
    }

    /** A search result as "path#chunk index" (unique per chunk). */
    private static List<String> keys(List<Passage> passages) {
        return passages.stream().map(p -> p.document() + "#" + p.chunkIndex()).toList();
    }

    private List<String> referenceKeys(String query, int limit) {
        List<String> out = new ArrayList<>();
        for (long id : referenceSearch(query, limit)) {
            try {
                var node = new ObjectMapper().readTree(store.session().readItem(id).orElseThrow());
                out.add(node.path("path").asText() + "#" + node.path("index").asInt());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Test
    void ranksExactlyAsDecryptingEveryVectorDid() throws Exception {
        Path a = folder("a", 25, 1);
        Path b = folder("b", 25, 2);
        consentFor(a);
        consentFor(b);
        LibraryService library = library();
        library.index(a, PURPOSE, Progress.NONE);
        library.index(b, PURPOSE, Progress.NONE);
        assertThat(embeddingItems()).isGreaterThan(100); // enough rows that the candidate pool is a real cut

        Random random = new Random(7);
        for (int i = 0; i < 40; i++) {
            String query = WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)]
                    + (i % 3 == 0 ? " " + WORDS[random.nextInt(WORDS.length)] : "");
            int limit = 1 + random.nextInt(10);
            List<String> got = keys(library.search(query, limit));
            assertThat(got).as("query '%s', limit %d", query, limit).isEqualTo(referenceKeys(query, limit));
        }
        assertThat(vectors.size()).isEqualTo(embeddingItems());
    }

    @Test
    void indexingChangingAndForgettingKeepTheLoadedStoreInStep() throws Exception {
        Path a = folder("a", 6, 3);
        consentFor(a);
        LibraryService library = library();
        library.index(a, PURPOSE, Progress.NONE);
        ChunkStore chunks = vectors;
        assertThat(chunks.isLoaded()).isFalse(); // nothing decrypted into memory before the first search

        library.search("honey harvest", 3);
        assertThat(chunks.isLoaded()).isTrue();
        assertThat(chunks.size()).isEqualTo(embeddingItems());

        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.writeString(b.resolve("quince.txt"), "Quince jelly sets best with a squeeze of lemon and patience.");
        consentFor(b);
        library.index(b, PURPOSE, Progress.NONE);
        assertThat(chunks.size()).isEqualTo(embeddingItems());
        // found by its vector alone: none of these words is in the document
        assertThat(library.search("quince jelly lemon", 1)).extracting(Passage::document)
                .containsExactly(b.resolve("quince.txt"));

        Files.writeString(b.resolve("quince.txt"), "Medlars are eaten bletted, soft and brown, in November.");
        library.index(b, PURPOSE, Progress.NONE);
        assertThat(chunks.size()).isEqualTo(embeddingItems());
        assertThat(library.search("medlars bletted", 1).get(0).text()).contains("Medlars");

        int before = chunks.size();
        library.forget(a);
        assertThat(chunks.size()).isEqualTo(embeddingItems()).isEqualTo(1).isLessThan(before);
        assertThat(library.search("honey harvest colony", 10)).isEmpty();
        assertThat(library.search("honey harvest colony medlars", 10)).extracting(Passage::document)
                .containsOnly(b.resolve("quince.txt"));

        // a fresh service on the same session sees the same, already loaded store
        assertThat(library().search("honey harvest colony medlars", 10)).extracting(Passage::document)
                .containsOnly(b.resolve("quince.txt"));
        assertThat(chunks.isLoaded()).isTrue();
    }

    @Test
    void lockingZeroesTheVectorsAndDropsTheStore() throws Exception {
        Path a = folder("a", 5, 4);
        consentFor(a);
        LibraryService library = library();
        library.index(a, PURPOSE, Progress.NONE);
        library.search("winter pruning", 3);
        ChunkStore chunks = vectors;
        int[] codes = chunks.codesForTest();
        assertThat(chunks.size()).isPositive();
        assertThat(Arrays.stream(codes).filter(c -> c != 0).count()).isGreaterThan(100);

        VaultSession session = store.session();
        store.close();

        assertThat(chunks.isClosed()).isTrue();
        assertThat(chunks.isLoaded()).isFalse();
        assertThat(chunks.size()).isZero();
        assertThat(codes).containsOnly(0);
        chunks.put(1, 2, 3, new float[] {1, 0}); // ignored after the lock
        assertThat(chunks.size()).isZero();

        store = LocalStore.unlock(tmp.resolve("home"), "chunk store test passphrase".toCharArray(), Clock.systemUTC());
        vectors = ChunkStore.forSession(store.session());
        assertThat(ChunkStore.forSession(session).isClosed()).as("a locked session gets no store").isTrue();
        assertThat(library().search("winter pruning", 3)).isNotEmpty();
        assertThat(vectors.isLoaded()).isTrue();
        assertThat(chunks.size()).isZero();
    }

    /** Records every progress update; cancels (or runs {@code atUpdate}) when the count reaches {@code at}. */
    private static class Recorder implements Progress {
        final List<long[]> updates = Collections.synchronizedList(new ArrayList<>());
        private final int at;
        private final Runnable atUpdate;
        volatile boolean cancelled;

        Recorder(int at, Runnable atUpdate) {
            this.at = at;
            this.atUpdate = atUpdate;
        }

        @Override
        public void update(long done, long total, String message) {
            updates.add(new long[] {done, total});
            if (updates.size() == at) {
                atUpdate.run();
            }
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }
    }

    @Test
    void theLoadReportsMonotoneProgressToTheEndAndThenSearchesAsAFullyLoadedStore() throws Exception {
        Path a = folder("a", 60, 12);
        consentFor(a);
        library().index(a, PURPOSE, Progress.NONE);
        long items = embeddingItems();
        assertThat(items).isGreaterThan(150);

        Recorder progress = new Recorder(-1, () -> { });
        library().loadVectors(progress);

        assertThat(progress.updates.size()).isGreaterThan(10); // a visible progression, not just start and end
        assertThat((long) progress.updates.size()).isLessThanOrEqualTo(Math.min(items + 1, 202)); // about a hundred at most
        assertThat(progress.updates.get(0)).containsExactly(0, items);
        assertThat(progress.updates.get(progress.updates.size() - 1)).containsExactly(items, items);
        for (int i = 1; i < progress.updates.size(); i++) {
            assertThat(progress.updates.get(i)[0]).isGreaterThanOrEqualTo(progress.updates.get(i - 1)[0]);
            assertThat(progress.updates.get(i)[1]).isEqualTo(items);
        }
        ChunkStore chunks = vectors;
        assertThat(chunks.isLoaded()).isTrue();
        assertThat(chunks.size()).isEqualTo(items);
        for (String query : List.of("honey harvest", "river bridge winter", "consent audit ledger")) {
            assertThat(keys(library().search(query, 8))).as(query).isEqualTo(referenceKeys(query, 8));
        }
        Recorder again = new Recorder(-1, () -> { });
        library().loadVectors(again);
        assertThat(again.updates).as("already loaded: nothing to do").isEmpty();
    }

    @Test
    void aSearchDuringTheLoadWaitsForItAndFindsWhatAFullyLoadedStoreFinds() throws Exception {
        Path a = folder("a", 30, 13);
        consentFor(a);
        library().index(a, PURPOSE, Progress.NONE);
        List<String> expected = keys(library().search("pollen brood comb", 8)); // loads, then the store is dropped:
        store.close();
        store = LocalStore.unlock(tmp.resolve("home"), "chunk store test passphrase".toCharArray(), Clock.systemUTC());
        vectors = ChunkStore.forSession(store.session()); // the new session's vectors, as its workspace owns them
        assertThat(expected).isEqualTo(referenceKeys("pollen brood comb", 8)).isNotEmpty();

        CountDownLatch midLoad = new CountDownLatch(1);
        CountDownLatch searchStarted = new CountDownLatch(1);
        List<List<String>> found = Collections.synchronizedList(new ArrayList<>());
        Thread searcher = new Thread(() -> {
            try {
                midLoad.await();
                searchStarted.countDown();
                found.add(keys(library().search("pollen brood comb", 8)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        searcher.start();
        // a third of the way through the load, start a search and give it the chance to run against the store
        Recorder progress = new Recorder(30, () -> {
            midLoad.countDown();
            try {
                searchStarted.await();
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        library().loadVectors(progress);
        searcher.join(30_000);
        assertThat(found).containsExactly(expected);
        assertThat(vectors.size()).isEqualTo(embeddingItems());
    }

    @Test
    void cancellingTheLoadMidwayLeavesNothingLoadedAndTheNextSearchLoadsAgain() throws Exception {
        Path a = folder("a", 30, 14);
        consentFor(a);
        library().index(a, PURPOSE, Progress.NONE);
        ChunkStore chunks = vectors;
        int[][] seen = new int[1][];
        Recorder cancelling = new Recorder(40, () -> {
            seen[0] = chunks.codesForTest();
            assertThat(chunks.size()).isPositive();
        }) {
            @Override
            public boolean isCancelled() {
                return updates.size() >= 40;
            }
        };

        Assertions.assertThatThrownBy(() -> library().loadVectors(cancelling))
                .isInstanceOf(CancellationException.class);

        assertThat(cancelling.updates.get(cancelling.updates.size() - 1)[0]).isLessThan(embeddingItems());
        assertThat(chunks.isLoaded()).isFalse();
        assertThat(chunks.size()).isZero();
        assertThat(seen[0]).as("the rows loaded before the cancel are zeroed").containsOnly(0);
        assertThat(keys(library().search("honey harvest", 5))).isEqualTo(referenceKeys("honey harvest", 5));
        assertThat(chunks.size()).isEqualTo(embeddingItems());
    }

    @Test
    void lockingDuringTheLoadStopsItAndLeavesNothingLoaded() throws Exception {
        Path a = folder("a", 30, 15);
        consentFor(a);
        library().index(a, PURPOSE, Progress.NONE);
        long items = embeddingItems();
        ChunkStore chunks = vectors;
        int[][] seen = new int[1][];
        Thread[] locker = new Thread[1];
        Recorder progress = new Recorder(40, () -> {
            seen[0] = chunks.codesForTest();
            locker[0] = new Thread(store::close); // the lock waits for the current row, then the load stops
            locker[0].start();
            try {
                Thread.sleep(200); // let the lock wipe the keys and flag the store while the load is mid-way
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        Assertions.assertThatThrownBy(() -> library().loadVectors(progress))
                .isInstanceOfAny(CancellationException.class,
                        VaultLockedException.class);
        locker[0].join(30_000);

        assertThat(progress.updates.get(progress.updates.size() - 1)[0]).isLessThan(items);
        assertThat(chunks.isClosed()).isTrue();
        assertThat(chunks.isLoaded()).isFalse();
        assertThat(chunks.size()).isZero();
        assertThat(seen[0]).containsOnly(0);
        store = LocalStore.unlock(tmp.resolve("home"), "chunk store test passphrase".toCharArray(), Clock.systemUTC());
    }

    @Test
    void putAndRemoveAgreeWithAPlainMapOverManyRandomOperations() {
        ChunkStore chunks = new ChunkStore();
        chunks.ensureLoaded(s -> { });
        Random random = new Random(11);
        Map<Long, float[]> expected = new HashMap<>();
        Map<Long, Long> scopeOf = new HashMap<>();
        for (int op = 0; op < 20_000; op++) {
            long id = random.nextInt(3_000);
            int kind = random.nextInt(10);
            if (kind < 6) {
                float[] v = randomUnit(random, 16);
                long scope = id % 5;
                chunks.put(scope, id, id + 1_000_000, v);
                expected.put(id, v);
                scopeOf.put(id, scope);
            } else if (kind < 9) {
                chunks.removeChunks(List.of(id));
                expected.remove(id);
            } else if (op % 97 == 0) {
                long scope = random.nextInt(5);
                chunks.removeScope(scope);
                expected.keySet().removeIf(k -> scopeOf.get(k) == scope);
            }
        }
        assertThat(chunks.size()).isEqualTo(expected.size());
        // every chunk finds itself first, through the quantised pass and the exact re-scoring
        Set<Long> checked = new HashSet<>();
        for (Map.Entry<Long, float[]> e : expected.entrySet()) {
            if (checked.size() == 200) {
                break;
            }
            List<ChunkStore.Candidate> top = chunks.nearest(e.getValue(), 1, item -> expected.get(item - 1_000_000));
            assertThat(top).extracting(ChunkStore.Candidate::chunkId).containsExactly(e.getKey());
            checked.add(e.getKey());
        }
    }

    private static float[] randomUnit(Random random, int dim) {
        float[] v = new float[dim];
        double norm = 0;
        for (int i = 0; i < dim; i++) {
            v[i] = (float) random.nextGaussian();
            norm += v[i] * v[i];
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return v;
    }

    /** A deterministic bag-of-words embedder: each word (and its 3-letter prefixes) adds a signed hashed unit. */
}
