package org.sovereign.packs.bench;

import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.GenerationDefaults;
import org.sovereign.packs.pack.HardwareNeeds;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.Licence;
import org.sovereign.packs.pack.ManifestCodec;
import org.sovereign.packs.pack.ModelSignature;
import org.sovereign.packs.pack.PackFile;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.PackSigner;
import org.sovereign.packs.pack.Provenance;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.FileDigestCache;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Java side of the model-packs inference benchmark ({@code model-packs/bench/run.sh}, results in
 * {@code docs/benchmarks.md}). Not a test. Prints one JSON line per timed repetition, in the same form as
 * {@code bench/baseline.py}, so the script can put both sides in one table. Model loading and warm-up are outside
 * the timed region.
 *
 * <pre>
 * embed    --model M --tokenizer T --texts FILE --threads N [--batch B] [--warmup W] [--reps R]
 * generate --dir D --threads N --prompt-ids 1,2,3 [--new-tokens K] [--warmup W] [--reps R] [--spin true|false]
 * verify   --file BIG --pack-dir .../bench-verify-1.0.0 [--reps R]   (signs a pack holding a hard link to BIG once, then times
 *                                                 InstalledPack.reverify: signature + streaming SHA-256 of all files)
 * loadcheck (--file BIG --pack-dir D | --mpack M --packs-dir D) [--reps R]   (InstalledPack.checkForLoad, the check run
 *                                                 before every load and listing: cold = digest cache cleared, warm = kept)
 * </pre>
 *
 * Also runnable alone: {@code ./mvnw -B -q -pl model-packs -Pbench test-compile exec:exec -Dbench.args="..."}.
 */
public final class PackBench {

    private final Map<String, String> options = new HashMap<>();

    private PackBench(String[] args) {
        for (int i = 1; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("Expected --name value pairs, got " + Arrays.toString(args));
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: PackBench embed|generate|verify --option value ...");
            System.exit(2);
        }
        PackBench bench = new PackBench(args);
        switch (args[0]) {
            case "embed" -> bench.embed();
            case "generate" -> bench.generate();
            case "verify" -> bench.verify();
            case "loadcheck" -> bench.loadCheck();
            default -> throw new IllegalArgumentException("Unknown benchmark " + args[0]);
        }
    }

    private String get(String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("Missing --" + name);
        }
        return value;
    }

    private int getInt(String name, int fallback) {
        return options.containsKey(name) ? Integer.parseInt(options.get(name)) : fallback;
    }

    private void embed() throws IOException {
        List<String> texts = Files.readAllLines(Path.of(get("texts")), StandardCharsets.UTF_8);
        int threads = getInt("threads", Runtime.getRuntime().availableProcessors());
        EmbeddingOptions embeddingOptions = EmbeddingOptions.defaults()
                .withIntraOpThreads(threads)
                .withMaxBatchSize(getInt("batch", EmbeddingOptions.defaults().maxBatchSize()));
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(Path.of(get("model")), Path.of(get("tokenizer")),
                embeddingOptions)) {
            for (int i = 0; i < getInt("warmup", 1); i++) {
                model.embed(texts);
            }
            drive(rep -> {
                long t0 = System.nanoTime();
                List<float[]> vectors = model.embed(texts);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double checksum = 0;
                for (float[] v : vectors) {
                    for (float x : v) {
                        checksum += Math.abs(x);
                    }
                }
                return String.format(Locale.ROOT, "{\"side\": \"java\", \"bench\": \"embed\", \"variant\": \"%s\", "
                                + "\"threads\": %d, \"rep\": %d, \"texts\": %d, \"seconds\": %.6f, \"per_second\": %.3f, "
                                + "\"checksum\": %.4f}", "batch" + embeddingOptions.maxBatchSize(), threads, rep, texts.size(), seconds,
                        texts.size() / seconds, checksum);
            });
        }
    }

    private void generate() throws IOException {
        Path dir = Path.of(get("dir"));
        int threads = getInt("threads", Runtime.getRuntime().availableProcessors());
        long[] prompt = Arrays.stream(get("prompt-ids").split(",")).mapToLong(Long::parseLong).toArray();
        int newTokens = getInt("new-tokens", 128);
        boolean spin = Boolean.parseBoolean(options.getOrDefault("spin", "true"));
        try (OnnxDecoderModel model = OnnxDecoderModel.open(dir, dir.resolve("model.onnx"), new DecoderOptions(threads)
                .withSpinning(spin));
             TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            TextGenerator generator = new TextGenerator(model, tokenizer);
            for (int i = 0; i < getInt("warmup", 1); i++) {
                generator.generate(prompt, GenerationRequest.greedy(newTokens), TokenListener.none(),
                        new CancellationSignal());
            }
            drive(rep -> {
                GenerationResult r = generator.generate(prompt, GenerationRequest.greedy(newTokens),
                        TokenListener.none(), new CancellationSignal());
                long[] ids = r.tokenIds();
                double seconds = r.total().toNanos() / 1e9;
                double first = r.timeToFirstToken().toNanos() / 1e9;
                double decode = ids.length > 1 ? (ids.length - 1) / (seconds - first) : 0;
                return String.format(Locale.ROOT, "{\"side\": \"java\", \"bench\": \"generate\", \"model\": \"%s\", "
                                + "\"threads\": %d, \"rep\": %d, \"tokens\": %d, \"seconds\": %.6f, "
                                + "\"first_token_ms\": %.3f, \"per_second\": %.3f, \"decode_per_second\": %.3f, "
                                + "\"spin\": %s, \"ids_head\": %s}", dir.getFileName(), threads, rep, ids.length, seconds,
                        first * 1000, ids.length / seconds, decode, spin,
                        Arrays.toString(Arrays.copyOf(ids, Math.min(8, ids.length))));
            });
        }
    }

    private void verify() throws IOException {
        Path big = Path.of(get("file"));
        Path dir = Path.of(get("pack-dir"));
        KeyPair key = EcKeys.generate();
        prepareSignedPack(big, dir, key);
        InstalledPack pack = InstalledPack.open(dir);
        TrustPolicy policy = TrustPolicy.publishers(key.getPublic());
        long size = Files.size(big);
        // Warm the page cache the same way the sha256sum side does (one untimed pass).
        pack.reverify(policy, ProgressListener.NONE, () -> false);
        drive(rep -> {
            AtomicLong progress = new AtomicLong();
            long t0 = System.nanoTime();
            Verdict verdict;
            try {
                verdict = pack.reverify(policy, (done, total) -> progress.set(done), () -> false);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (!(verdict instanceof Verdict.TrustedPublisher)) {
                throw new IllegalStateException("Benchmark pack did not verify as trusted: " + verdict.describe());
            }
            return String.format(Locale.ROOT, "{\"side\": \"java\", \"bench\": \"verify\", \"rep\": %d, \"bytes\": %d, "
                    + "\"seconds\": %.6f, \"per_second\": %.3f}", rep, size, seconds, size / seconds / 1e6);
        });
    }

    private void loadCheck() throws IOException {
        InstalledPack pack;
        if (options.containsKey("mpack")) {
            Path packs = Path.of(get("packs-dir"));
            if (Files.exists(packs)) {
                try (var walk = Files.walk(packs)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            pack = new PackInstaller().install(Path.of(get("mpack")), packs, TrustPolicy.none(),
                    true, ProgressListener.NONE, () -> false).pack();
        } else {
            Path dir = Path.of(get("pack-dir"));
            prepareSignedPack(Path.of(get("file")), dir, EcKeys.generate());
            pack = InstalledPack.open(dir);
        }
        long size = pack.manifest().totalBytes();
        FileDigestCache cache = FileDigestCache.SHARED;
        pack.checkForLoad(); // untimed: page cache warm, as for the other rows
        for (String mode : List.of("cold", "warm")) {
            drive(rep -> {
                if (mode.equals("cold")) {
                    cache.clear();
                }
                long t0 = System.nanoTime();
                try {
                    pack.checkForLoad();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                return String.format(Locale.ROOT, "{\"side\": \"java\", \"bench\": \"loadcheck\", \"pack\": \"%s\", "
                                + "\"mode\": \"%s\", \"rep\": %d, \"bytes\": %d, \"files\": %d, \"ms\": %.3f}",
                        pack.directory().getFileName(), mode, rep, size, pack.manifest().files().size(), seconds * 1000);
            });
        }
    }

    /** A signed pack whose one big file is a hard link to {@code big} (no copy); rebuilt on every run. */
    private static void prepareSignedPack(Path big, Path dir, KeyPair key) throws IOException {
        if (Files.exists(dir)) {
            try (var walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        Path weights = dir.resolve("model.onnx");
        Files.createLink(weights, big);
        Files.writeString(dir.resolve("LICENSE"), "Benchmark data, no licence needed.\n");
        Files.writeString(dir.resolve("tokenizer.json"), "{}\n");
        List<PackFile> files = new ArrayList<>();
        for (String name : List.of("model.onnx", "tokenizer.json", "LICENSE")) {
            Path file = dir.resolve(name);
            files.add(new PackFile(name, Files.size(file),
                    new StreamingHasher(Files.size(file), ProgressListener.NONE, () -> false).sha256(file)));
        }
        PackManifest manifest = new PackManifest(PackManifest.FORMAT_VERSION, "bench-verify", "1.0.0",
                PackKind.TEXT_GENERATION, files,
                new ModelSignature("llama", "model.onnx", List.of("input_ids"), List.of("logits")),
                "tokenizer.json", null, new GenerationDefaults(16, 0.0, 1.0, List.of()), 2048,
                new HardwareNeeds(1L << 30, List.of("CPUExecutionProvider")),
                new Licence("Apache-2.0", "LICENSE"),
                new Provenance("local", "random weights", "make_bench_llama.py", "1", "No training data."),
                "Benchmark pack.");
        Files.write(dir.resolve(PackLayout.MANIFEST), new ManifestCodec().write(manifest));
        new PackSigner().sign(dir, key, ProgressListener.NONE, () -> false);
    }

    /**
     * Runs the timed repetitions: {@code --reps N} of them, or with {@code --serve true} one per "run" line read from
     * standard input (after printing a ready line), so that bench/interleave.py can alternate Java and Python
     * repetition by repetition. Stops at end of input or a "quit" line.
     */
    private void drive(IntFunction<String> oneRep) throws IOException {
        if (!Boolean.parseBoolean(options.getOrDefault("serve", "false"))) {
            for (int rep = 0; rep < getInt("reps", 3); rep++) {
                emit(oneRep.apply(rep));
            }
            return;
        }
        emit("{\"ready\": true}");
        var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        int rep = 0;
        for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
            emit(oneRep.apply(rep++));
        }
    }

    private static void emit(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
