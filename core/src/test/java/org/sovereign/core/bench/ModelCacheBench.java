package org.sovereign.core.bench;

import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * What the model cache saves per library operation (not a test: speed does not belong in unit tests). Embeds one
 * short search query with the bundled pack, N times: (a) opening and closing the model for each query, as the
 * library did before the cache, and (b) through {@link ModelRuntime#openDefaultEmbedder()}, which reuses the cached
 * session. Prints medians and p90. Run from the repository root after {@code ./mvnw -o test-compile -pl app -am}:
 * <pre>
 * ./mvnw -B -q -o dependency:build-classpath -pl app -am -Dmdep.outputFile=target/cp.txt
 * java -cp app/target/classes:app/target/test-classes:model-packs/target/classes:local-store/target/classes:\
 *      mesh/target/classes:$(cat app/target/cp.txt) -Dai.djl.offline=true \
 *      -DENGINE_CACHE_DIR=app/target/djl-cache org.sovereign.app.bench.ModelCacheBench [rounds]
 * </pre>
 */
public final class ModelCacheBench {

    private ModelCacheBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        Path home = Files.createTempDirectory("sovereign-cache-bench");
        StoreService store = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        store.create("bench passphrase for the cache".toCharArray()).close();
        Packs packs = Packs.create(home, store);
        var installed = packs.installation().installDefault("bench passphrase for the cache"::toCharArray, Progress.NONE);
        PackManifest m = installed.pack().manifest();
        Path dir = installed.pack().directory();
        List<String> query = List.of("when do we count the mites in the hives");

        for (int warm = 0; warm < 3; warm++) {
            try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir.resolve(m.model().modelFile()),
                    dir.resolve(m.tokenizer()), EmbeddingOptions.defaults())) {
                model.embed(query);
            }
        }
        long[] perOperation = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir.resolve(m.model().modelFile()),
                    dir.resolve(m.tokenizer()), EmbeddingOptions.defaults())) {
                model.embed(query);
            }
            perOperation[i] = System.nanoTime() - t;
        }
        long firstCached = System.nanoTime();
        try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            e.embed(query);
        }
        firstCached = System.nanoTime() - firstCached;
        for (int warm = 0; warm < 10; warm++) {
            try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
                e.embed(query);
            }
        }
        long[] cached = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
                e.embed(query);
            }
            cached[i] = System.nanoTime() - t;
        }
        long[] embedOnly = new long[rounds];
        try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                e.embed(query);
                embedOnly[i] = System.nanoTime() - t;
            }
        }
        System.out.printf("threads %s, %d rounds%n", packs.runtime().threadPlan(), rounds);
        System.out.printf("open + embed + close per query: median %.1f ms, p90 %.1f ms%n", ms(perOperation, 50), ms(perOperation, 90));
        System.out.printf("first cached use (loads once):  %.1f ms%n", firstCached / 1e6);
        System.out.printf("cached embedder per query:      median %.2f ms, p90 %.2f ms%n", ms(cached, 50), ms(cached, 90));
        System.out.printf("embed alone on an open embedder:  median %.2f ms, p90 %.2f ms%n", ms(embedOnly, 50), ms(embedOnly, 90));
        packs.runtime().unloadModels();
    }

    private static double ms(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int index = Math.min(sorted.length - 1, (int) Math.ceil(percentile / 100.0 * sorted.length) - 1);
        return sorted[Math.max(0, index)] / 1e6;
    }
}
