package org.sovereign.core.library;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.OperatingSystemMXBean;
import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.KeywordIndex;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;

/**
 * Library benchmarks for docs/benchmarks.md (not a test; run through the app's {@code bench} profile):
 * <ul>
 *   <li>{@code embed-index}: (a) pure embedding of the chunks of N synthetic documents with the default pack, and
 *   (b) full indexing of the same documents (extract, chunk, embed, encrypt, store) through {@link LibraryService}
 *   into a fresh vault on disk, with the same embedder (same thread count); (a) and (b) alternate over
 *   {@code bench.rounds} rounds (default 3) and the median of the per-round ratios is reported;</li>
 *   <li>{@code search}: search latency at 100,000 chunks. The chunks are stored through the same vault calls the indexer
 *   uses (chunk item, keyword index, embedding item) but with synthetic (seeded random unit) vectors instead of
 *   running the model 100,000 times; the queries are embedded with the real default pack. Also reports the first
 *   search (which loads the vectors into memory) and the memory used.</li>
 * </ul>
 * Text: sentences of this project's own docs (README and docs/), shuffled with a fixed seed into documents of ~200
 * token chunks. System properties: {@code bench.docs} (documents for embed-index, default 60), {@code bench.chunks}
 * (default 100000), {@code bench.dir} (where the 100k vault is kept and reused, default /dev/shm/...).
 */
public final class LibraryBench {

    private static final String PURPOSE = "private assistant";
    private static final char[] PASS = "library bench passphrase".toCharArray();
    private static final ObjectMapper JSON = new ObjectMapper();

    private LibraryBench() {
    }

    public static void main(String[] args) throws Exception {
        List<String> which = args.length == 0 ? List.of("embed-index", "search") : List.of(args);
        System.out.printf(Locale.ROOT, "# LibraryBench: %d processors, max heap %d MB, load average %.2f%n",
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20, loadAverage());
        Path work = Files.createTempDirectory("library-bench");
        Path home = work.resolve("home");
        StoreService stores = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(), TestKdf.FAST);
        stores.create(PASS.clone()).close();
        Packs packs = Packs.create(home, stores);
        packs.installation().installDefault(PASS::clone, Progress.NONE);
        try (Embedder embedder = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            List<String> sentences = sentences();
            if (which.contains("embed-index")) {
                embedAndIndex(work, embedder, sentences, Integer.getInteger("bench.docs", 60));
            }
            if (which.contains("search")) {
                Path dir = Path.of(System.getProperty("bench.dir", "/dev/shm/sovereign-library-bench"));
                search(dir, embedder, sentences, Integer.getInteger("bench.chunks", 100_000));
            }
        }
    }

    // ---------------------------------------------------------------- (a) + (b)

    private static void embedAndIndex(Path work, Embedder embedder, List<String> sentences, int docs) throws Exception {
        Path folder = Files.createDirectories(work.resolve("docs"));
        Random random = new Random(42);
        for (int d = 0; d < docs; d++) {
            Files.writeString(folder.resolve(String.format(Locale.ROOT, "doc-%03d.md", d)), document(sentences, random, 1400));
        }
        List<String> chunks = new ArrayList<>();
        TextExtractor extractor = new TextExtractor();
        Chunker chunker = Chunker.defaults();
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : files.sorted().toList()) {
                chunker.split(extractor.extract(f)).forEach(c -> chunks.add(c.text()));
            }
        }
        double words = chunks.stream().mapToInt(c -> c.split("\\s+").length).average().orElse(0);
        double tokens = chunks.stream().mapToInt(Chunker::approximateTokens).average().orElse(0);
        System.out.printf(Locale.ROOT, "corpus: %d documents, %d chunks, %.0f words / ~%.0f tokens per chunk (approximate count)%n",
                docs, chunks.size(), words, tokens);
        embedder.embed(chunks.subList(0, Math.min(20, chunks.size()))); // warm-up

        // (a) and (b) alternate, a b, b a, ..., so that load from outside, which comes and goes on a shared machine,
        // falls on both alike; the verdict is the median of the per-round ratios
        int rounds = Integer.getInteger("bench.rounds", 3);
        List<Double> wallRatios = new ArrayList<>();
        List<Double> cpuRatios = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            double[] a = null;
            double[] b = null;
            for (int step = 0; step < 2; step++) {
                if ((step == 0) == (round % 2 == 0)) {
                    a = pureEmbedding(embedder, chunks);
                } else {
                    b = fullIndexing(work.resolve("index-home-" + round), folder, embedder);
                }
            }
            double wall = (b[0] / b[2]) / (a[0] / a[2]);
            double cpu = (b[1] / b[2]) / (a[1] / a[2]);
            wallRatios.add(wall);
            cpuRatios.add(cpu);
            System.out.printf(Locale.ROOT, "    round %d: indexing / pure embedding: wall %.3f, CPU %.3f%n", round + 1, wall, cpu);
        }
        System.out.printf(Locale.ROOT, "indexing / pure embedding over %d rounds: median wall %.3f %s, median CPU %.3f (target <= 1.25)%n",
                rounds, median(wallRatios), range(wallRatios), median(cpuRatios));
    }

    /** (a): returns wall seconds, CPU seconds, chunks. */
    private static double[] pureEmbedding(Embedder embedder, List<String> chunks) {
        long t0 = System.nanoTime();
        long c0 = cpuNanos();
        embedder.embed(chunks); // the model runs them one at a time (batch size 1), as when indexing
        double embedSeconds = (System.nanoTime() - t0) / 1e9;
        double embedCpu = (cpuNanos() - c0) / 1e9;
        System.out.printf(Locale.ROOT, "(a) pure embedding: %d chunks in %.1f s = %.0f chunks/min (load %.2f); process CPU %.1f s"
                        + " = %.0f chunks per 2 CPU-minutes%n", chunks.size(), embedSeconds, chunks.size() / embedSeconds * 60,
                loadAverage(), embedCpu, chunks.size() / embedCpu * 120);
        return new double[] {embedSeconds, embedCpu, chunks.size()};
    }

    /** (b), into a new vault at {@code home}: returns wall seconds, CPU seconds, chunks. */
    private static double[] fullIndexing(Path home, Path folder, Embedder embedder) {
        try (LocalStore store = LocalStore.create(home, PASS.clone(), TestKdf.FAST, Clock.systemUTC())) {
            grant(store, folder, embedder.packDigest());
            LibraryService library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), embedder);
            long t1 = System.nanoTime();
            long c1 = cpuNanos();
            IndexReport report = library.index(folder, PURPOSE, Progress.NONE);
            double indexSeconds = (System.nanoTime() - t1) / 1e9;
            double indexCpu = (cpuNanos() - c1) / 1e9;
            System.out.printf(Locale.ROOT, "(b) full indexing: %d chunks (%d documents) in %.1f s = %.0f chunks/min (load %.2f); process CPU %.1f s"
                            + " = %.0f chunks per 2 CPU-minutes%n", report.chunks(), report.indexed().size(), indexSeconds,
                    report.chunks() / indexSeconds * 60, loadAverage(), indexCpu, report.chunks() / indexCpu * 120);
            return new double[] {indexSeconds, indexCpu, report.chunks()};
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String range(List<Double> values) {
        return String.format(Locale.ROOT, "[%.3f-%.3f]", values.stream().mapToDouble(d -> d).min().orElse(0),
                values.stream().mapToDouble(d -> d).max().orElse(0));
    }

    // ---------------------------------------------------------------- (c) + (d)

    private static void search(Path dir, Embedder embedder, List<String> sentences, int target) throws Exception {
        Path home = dir.resolve("home-" + target);
        Path marker = home.resolve("bench-complete");
        if (!Files.exists(marker)) {
            deleteTree(home);
            build(home, sentences, target, embedder.packDigest());
            Files.writeString(marker, "ok");
        } else {
            System.out.println("reusing the " + target + "-chunk vault in " + home);
        }
        long unlock0 = System.nanoTime();
        try (LocalStore store = LocalStore.unlock(home, PASS.clone(), Clock.systemUTC())) {
            System.out.printf(Locale.ROOT, "unlock (audit log verified): %.0f ms%n", (System.nanoTime() - unlock0) / 1e6);
            ChunkStore sessionVectors = ChunkStore.forSession(store.session());
            LibraryService library = new LibraryService(store, sessionVectors, new TextExtractor(), Chunker.defaults(), embedder);
            Random random = new Random(9);
            List<String> queries = new ArrayList<>();
            for (int i = 0; i < 260; i++) {
                String[] words = sentences.get(random.nextInt(sentences.size())).split("\\s+");
                int from = random.nextInt(Math.max(1, words.length - 4));
                queries.add(String.join(" ", Arrays.copyOfRange(words, from, Math.min(words.length, from + 2 + random.nextInt(4)))));
            }
            long heapBefore = usedHeap();
            long first0 = System.nanoTime();
            library.search(queries.get(0), 8);
            System.out.printf(Locale.ROOT, "first search (loads %d vectors into memory): %.0f ms%n",
                    sessionVectors.size(), (System.nanoTime() - first0) / 1e6);
            for (int i = 1; i < 60; i++) { // warm-up
                library.search(queries.get(i), 8);
            }
            long[] total = new long[200];
            long[] keyword = new long[200];
            long[] vector = new long[200];
            long[] embed = new long[200];
            long[] keywordCpu = new long[200];
            long[] vectorCpu = new long[200];
            long[] totalCpu = new long[200];
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            KeywordIndex keywords = store.session().keywordIndex();
            ChunkStore chunks = sessionVectors;
            for (int i = 0; i < 200; i++) {
                String q = queries.get(60 + i);
                long a = System.nanoTime();
                long ca = threads.getCurrentThreadCpuTime();
                List<Passage> hits = library.search(q, 8);
                total[i] = System.nanoTime() - a;
                totalCpu[i] = threads.getCurrentThreadCpuTime() - ca;
                if (hits.isEmpty()) {
                    throw new IllegalStateException("no hits for " + q);
                }
                a = System.nanoTime();
                ca = threads.getCurrentThreadCpuTime();
                keywords.search(q, 32);
                keyword[i] = System.nanoTime() - a;
                keywordCpu[i] = threads.getCurrentThreadCpuTime() - ca;
                a = System.nanoTime();
                float[] v = embedder.embed(List.of(q)).get(0);
                embed[i] = System.nanoTime() - a;
                a = System.nanoTime();
                ca = threads.getCurrentThreadCpuTime();
                chunks.nearest(v, 32, id -> store.session().readItem(id).map(LibraryBench::vectorOf).orElse(null));
                vector[i] = System.nanoTime() - a;
                vectorCpu[i] = threads.getCurrentThreadCpuTime() - ca;
            }
            System.out.printf(Locale.ROOT, "search at %d chunks, 200 queries, limit 8 (load %.2f):%n", chunks.size(), loadAverage());
            report("  LibraryService.search (embed query + keyword + vector + RRF + passages)", total);
            report("  of which: embed the query", embed);
            report("  of which: KeywordIndex.search (32 hits)", keyword);
            report("  of which: ChunkStore.nearest (32 of 100k, 7-bit pass + exact re-scoring)", vector);
            System.out.println("  the same, CPU time of the searching thread (what it costs without waiting for a core;"
                    + " the query embedding runs on ONNX Runtime's own threads and is not in it):");
            report("  LibraryService.search, thread CPU", totalCpu);
            report("  KeywordIndex.search, thread CPU", keywordCpu);
            report("  ChunkStore.nearest, thread CPU", vectorCpu);
            System.gc();
            System.out.printf(Locale.ROOT, "memory: chunk store %.1f MB; heap used after GC %.0f MB (before the first search %.0f MB); RSS %s%n",
                    chunks.memoryBytes() / 1e6, usedHeap() / 1e6, heapBefore / 1e6, rss());
        }
    }

    private static void build(Path home, List<String> sentences, int target, String packDigest) throws IOException {
        long t0 = System.nanoTime();
        try (LocalStore store = LocalStore.create(home, PASS.clone(), TestKdf.FAST, Clock.systemUTC())) {
            VaultSession session = store.session();
            KeywordIndex keywords = session.keywordIndex();
            Random random = new Random(1234);
            Chunker chunker = Chunker.defaults();
            int made = 0;
            int doc = 0;
            long scope = -1;
            while (made < target) {
                if (doc % 1000 == 0) { // one source per 1,000 documents
                    scope = session.createScope(LibraryService.SOURCE).id();
                    ObjectNode source = JSON.createObjectNode();
                    source.put("root", "/bench/source-" + doc / 1000);
                    source.put("consent", "bench");
                    session.putItem(scope, LibraryService.SOURCE, JSON.writeValueAsBytes(source));
                }
                String path = "/bench/source-" + doc / 1000 + "/doc-" + doc + ".md";
                String text = document(sentences, random, 1400);
                for (Chunk c : chunker.split(text)) {
                    if (made == target) {
                        break;
                    }
                    ObjectNode payload = JSON.createObjectNode();
                    payload.put("path", path);
                    payload.put("index", c.index());
                    payload.put("start", c.start());
                    payload.put("end", c.end());
                    payload.put("text", c.text());
                    long chunkId = session.putItem(scope, LibraryService.CHUNK, JSON.writeValueAsBytes(payload));
                    keywords.index(chunkId, c.text());
                    session.putItem(scope, LibraryService.EMBEDDING, vectorBytes(chunkId, randomUnit(random, 384)));
                    made++;
                    if (made % 10_000 == 0) {
                        System.out.printf(Locale.ROOT, "  built %d chunks, %.0f s%n", made, (System.nanoTime() - t0) / 1e9);
                    }
                }
                doc++;
            }
        }
        System.out.printf(Locale.ROOT, "built a %d-chunk vault in %.0f s at %s%n", target, (System.nanoTime() - t0) / 1e9, home);
    }

    // ---------------------------------------------------------------- helpers

    private static void grant(LocalStore store, Path source, String packDigest) {
        ConsentFixture.consent().purpose(PURPOSE).source(source).packs(packDigest)
                .operations(Operation.INDEX, Operation.EMBED).notice("bench").grantIn(store);
    }

    /** Sentences of the project's own prose (README and docs), so the text is real English with varied words. */
    static List<String> sentences() throws IOException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("docs"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException("Run from inside the project: the docs/ folder provides the text.");
        }
        StringBuilder all = new StringBuilder(Files.readString(root.resolve("README.md")));
        try (Stream<Path> md = Files.walk(root.resolve("docs"))) {
            for (Path p : md.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
                all.append('\n').append(Files.readString(p));
            }
        }
        List<String> out = new ArrayList<>();
        for (String s : all.toString().replaceAll("[`*#|>\\[\\]()]", " ").split("(?<=[.!?])\\s+")) {
            String t = s.replaceAll("\\s+", " ").strip();
            if (t.split(" ").length >= 5 && t.length() < 400) {
                out.add(t);
            }
        }
        return out;
    }

    private static String document(List<String> sentences, Random random, int words) {
        StringBuilder text = new StringBuilder();
        int count = 0;
        while (count < words) {
            String s = sentences.get(random.nextInt(sentences.size()));
            text.append(s).append(random.nextInt(6) == 0 ? "\n\n" : " ");
            count += s.split(" ").length;
        }
        return text.toString();
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

    private static byte[] vectorBytes(long chunkId, float[] v) {
        ByteBuffer b = ByteBuffer.allocate(8 + 4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(chunkId);
        for (float f : v) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static float[] vectorOf(byte[] plain) {
        ByteBuffer b = ByteBuffer.wrap(plain).order(ByteOrder.LITTLE_ENDIAN);
        b.getLong();
        float[] v = new float[(plain.length - 8) / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = b.getFloat();
        }
        return v;
    }

    private static void report(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%s: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", what, s[s.length / 2] / 1e6,
                s[(int) Math.ceil(s.length * 0.95) - 1] / 1e6, s[s.length - 1] / 1e6);
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .map(l -> l.replaceAll("\\s+", " ")).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    private static long cpuNanos() {
        return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double loadAverage() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
