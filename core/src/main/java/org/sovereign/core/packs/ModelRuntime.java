package org.sovereign.core.packs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.SamplingSettings;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.runtime.ExecutionPreference;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.runtime.ModelCache;
import org.sovereign.packs.runtime.OrtSessions;
import org.sovereign.packs.runtime.RuntimeChoice;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.tokenizer.TextTokenizer;
import org.sovereign.store.LocalStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Running installed packs: loading them into one {@link ModelCache} (at most {@link #MAX_LOADED_MODELS}, within half
 * the physical memory, least recently used dropped first), text generation, embeddings, and what is loaded and how it
 * runs. {@link #openChatModel} and {@link #openDefaultEmbedder()} hand out leases whose {@code close()} only releases
 * the model. Sessions get their intra-op threads from the settings (0 = from the hardware profile and the power mode)
 * and run on CUDA when this build has it, else on the CPU; a changed thread setting reloads a model at its next use.
 *
 * <p>Generations on one loaded model take turns, first come first served ({@link LoadedDecoder#inTurn}, the single
 * place generation is serialised), so every caller (window, command line, local API) queues there. Loading and
 * generating block the calling thread; a model dropped from the cache is closed only when its last lease closes.
 */
public final class ModelRuntime {

    /** Most models kept loaded at once. */
    public static final int MAX_LOADED_MODELS = 3;
    private static final Logger LOG = LoggerFactory.getLogger(ModelRuntime.class);

    private final PackCatalog catalog;
    private final StoreService store;
    private final Supplier<AppSettings> settings;
    private ModelCache models;
    private HardwareProfile hardware;

    /**
     * @param store    audits {@link #generate} when a vault exists
     * @param settings read each time a model loads (threads, power mode)
     */
    public ModelRuntime(PackCatalog catalog, StoreService store, Supplier<AppSettings> settings) {
        this.catalog = catalog;
        this.store = store;
        this.settings = settings;
    }

    // ---------------------------------------------------------------- generation and embeddings

    /** What to generate; nulls take the pack's defaults. */
    public record GenerateRequest(String pack, String prompt, boolean raw, Integer maxTokens, Double temperature,
                                  Long seed) {
    }

    /** Why a generation was not recorded in the audit log. */
    public enum NotAudited {
        /** This data directory has no vault. */
        NO_VAULT("Not audited: there is no vault yet."),
        /** A vault exists, but no passphrase was given to open it. */
        NO_PASSPHRASE("Not audited: no passphrase was given.");

        private final String plainWords;

        NotAudited(String plainWords) {
            this.plainWords = plainWords;
        }

        /** One plain sentence without command or flag names. */
        public String plainWords() {
            return plainWords;
        }
    }

    /** The generation, and why it did not go into the audit log when it did not. */
    public record GenerateOutcome(GenerationResult result, Optional<NotAudited> notAudited) {
        /** True when an {@code inference} entry was recorded. */
        public boolean audited() {
            return notAudited.isEmpty();
        }
    }

    /**
     * Generates text, streaming to {@code listener}. Audited (pack digest, salted commitments of prompt and output)
     * when a vault exists and {@code passphrase} gives one; otherwise the outcome says why nothing was audited.
     *
     * @throws PackFailure for a pack that is not installed, not a text-generation pack, has no chat template (unless
     *                     raw), or a setting out of range
     */
    public GenerateOutcome generate(GenerateRequest request, TokenListener listener, Optional<char[]> passphrase) {
        InstalledPack pack = catalog.find(request.pack(), true);
        PackManifest m = pack.manifest();
        requireKind(m, PackKind.TEXT_GENERATION, PackFailure.Use.GENERATE);
        if (request.prompt() == null || request.prompt().isEmpty()) {
            throw new UserFacingException("The prompt is empty.");
        }
        Optional<NotAudited> notAudited = Optional.empty();
        LocalStore local = null;
        if (!store.vaultExists()) {
            notAudited = Optional.of(NotAudited.NO_VAULT);
        } else if (passphrase.isEmpty()) {
            notAudited = Optional.of(NotAudited.NO_PASSPHRASE);
        } else {
            local = store.unlock(passphrase.get());
        }
        try (LocalStore audit = local) {
            GenerationResult result = run(pack, request, listener);
            if (audit != null) {
                InferenceAudit.record(audit, m.installDirName(), PackCatalog.manifestDigest(pack), request.prompt(),
                        result.text());
            }
            return new GenerateOutcome(result, notAudited);
        }
    }

    private GenerationResult run(InstalledPack pack, GenerateRequest request, TokenListener listener) {
        GenerationRequest gen = settings(pack.manifest(), request.maxTokens(), request.temperature(), null,
                request.seed());
        ChatTemplate template = request.raw() ? null : chatTemplate(pack);
        return PackFailures.translate(() -> {
            try (ModelCache.Lease<LoadedDecoder> lease = decoder(pack)) {
                LoadedDecoder decoder = lease.model();
                if (request.raw()) {
                    return decoder.inTurn(() -> decoder.generator.generate(request.prompt(), gen, listener,
                            new CancellationSignal()));
                }
                return decoder.inTurn(() -> decoder.generator.generateChat(template,
                        List.of(ChatMessage.user(request.prompt())), gen, listener, new CancellationSignal()));
            } catch (ContextLimitExceededException e) {
                throw new UserFacingException(PackFailures.oneLine(e.getMessage()), e);
            }
        });
    }

    /**
     * The generation settings {@link #generate} uses for the text-generation pack {@code packName}: each null takes the
     * pack's default (most new tokens, temperature, top-p); a temperature of 0 is greedy. The local API builds its
     * requests here so that the same options give the same text as {@code generate}.
     *
     * @throws PackFailure for a pack that is not installed or not a text-generation pack, or a setting out of range
     */
    public GenerationRequest generationSettings(String packName, Integer maxTokens, Double temperature, Double topP,
                                                Long seed) {
        return generationDefaults(packName).request(maxTokens, temperature, topP, seed);
    }

    /**
     * The generation defaults of the text-generation pack {@code packName}, read once, for a caller that builds many
     * requests for one pack (the local API, per installed pack digest): {@link GenerationDefaults#request} gives what
     * {@link #generationSettings} gives, without finding the pack again.
     *
     * @throws PackFailure for a pack that is not installed or not a text-generation pack
     */
    public GenerationDefaults generationDefaults(String packName) {
        PackManifest m = catalog.find(packName, false).manifest();
        requireKind(m, PackKind.TEXT_GENERATION, PackFailure.Use.GENERATE);
        return new GenerationDefaults(m);
    }

    /** A text-generation pack's default settings (most new tokens, temperature, top-p), as its manifest gives them. */
    public static final class GenerationDefaults {
        private final PackManifest manifest;

        private GenerationDefaults(PackManifest manifest) {
            this.manifest = manifest;
        }

        /**
         * The settings for one generation: each null takes the pack's default; a temperature of 0 is greedy.
         *
         * @throws PackFailure for a setting out of range
         */
        public GenerationRequest request(Integer maxTokens, Double temperature, Double topP, Long seed) {
            return settings(manifest, maxTokens, temperature, topP, seed);
        }
    }

    private static GenerationRequest settings(PackManifest m, Integer maxTokensOrNull, Double temperatureOrNull,
                                              Double topPOrNull, Long seed) {
        int maxTokens = maxTokensOrNull != null ? maxTokensOrNull
                : m.generation() != null ? m.generation().maxNewTokens() : 256;
        double temperature = temperatureOrNull != null ? temperatureOrNull
                : m.generation() != null ? m.generation().temperature() : 0.0;
        if (maxTokens < 1) {
            throw new PackFailure(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.MAX_TOKENS, "at least 1"));
        }
        if (temperature < 0 || temperature > 10) {
            throw new PackFailure(new PackFailure.InvalidGenerationSetting(PackFailure.Setting.TEMPERATURE,
                    "between 0 and 10"));
        }
        double topP = topPOrNull != null ? topPOrNull : m.generation() != null ? m.generation().topP() : 1.0;
        SamplingSettings sampling = temperature == 0 ? SamplingSettings.greedy()
                : SamplingSettings.sampled(temperature, seed != null ? seed : System.nanoTime()).withTopP(topP);
        return GenerationRequest.greedy(maxTokens).withSampling(sampling);
    }

    /**
     * An installed pack as the local API names it.
     *
     * @param name   the pack's name
     * @param id     its install id ({@code name-version})
     * @param kind   {@code text-generation} or {@code embedding}
     * @param digest its digest as consent names packs ({@code sha256:<manifest digest>})
     */
    public record PackRef(String name, String id, String kind, String digest) {
    }

    /**
     * The installed pack called {@code name} (NAME or NAME-VERSION), without checking its files.
     *
     * @throws PackFailure ({@link PackFailure.NotInstalled}) when none matches
     */
    public PackRef pack(String name) {
        InstalledPack pack = catalog.find(name, false);
        PackManifest m = pack.manifest();
        return new PackRef(m.name(), m.installDirName(), PackCatalog.kindName(m.kind()),
                "sha256:" + PackCatalog.manifestDigest(pack));
    }

    private static ChatTemplate chatTemplate(InstalledPack pack) {
        PackManifest m = pack.manifest();
        if (m.chatTemplate() == null) {
            throw new PackFailure(new PackFailure.NoChatTemplate(m.name()));
        }
        if (Files.isRegularFile(pack.directory().resolve("tokenizer_config.json"))) {
            return ChatTemplate.fromModelFolder(pack.directory());
        }
        String source = m.chatTemplate().inline();
        if (source == null) {
            source = PackFailures.translate(() -> Files.readString(pack.directory().resolve(m.chatTemplate().path())));
        }
        return new ChatTemplate(source, "", "");
    }

    private static void requireKind(PackManifest m, PackKind kind, PackFailure.Use use) {
        if (m.kind() != kind) {
            throw new PackFailure(new PackFailure.WrongKind(m.name(), PackCatalog.kindName(m.kind()), use));
        }
    }

    /**
     * One embedding per text, in order.
     *
     * @throws PackFailure for a pack that is not installed or not an embedding pack
     */
    public List<float[]> embed(String packName, List<String> texts) {
        return embedCounted(packName, texts).vectors();
    }

    /**
     * Embeddings with what the local API reports about them.
     *
     * @param vectors    one per text, in order, exactly as {@link #embed} returns them
     * @param tokens     how many tokens the model was fed (special tokens included)
     * @param packDigest the pack, as consent names packs
     */
    public record Embeddings(List<float[]> vectors, int tokens, String packDigest) {
    }

    /**
     * As {@link #embed}, with the token count and the pack's digest.
     *
     * @throws PackFailure for a pack that is not installed or not an embedding pack
     */
    public Embeddings embedCounted(String packName, List<String> texts) {
        InstalledPack pack = catalog.find(packName, true);
        requireKind(pack.manifest(), PackKind.EMBEDDING, PackFailure.Use.EMBED);
        if (texts.isEmpty()) {
            throw new UserFacingException("Give at least one text to embed.");
        }
        String digest = "sha256:" + PackCatalog.manifestDigest(pack);
        return PackFailures.translate(() -> {
            try (ModelCache.Lease<LoadedEmbedder> lease = embedder(pack)) {
                OnnxEmbeddingModel model = lease.model().model;
                return new Embeddings(model.embed(texts), model.tokenCount(texts), digest);
            }
        });
    }

    /**
     * An installed text-generation pack for the assistant (files checked first), from the model cache: loaded on
     * first use, kept loaded afterwards. The caller closes it, which releases the model (it stays cached). Its
     * digest, as consent names packs, is {@code sha256:<manifest digest>}.
     *
     * @throws PackFailure for a pack that is not installed, not a text-generation pack, or has no chat template
     */
    public ChatModel openChatModel(String name) {
        InstalledPack pack = catalog.find(name, true);
        requireKind(pack.manifest(), PackKind.TEXT_GENERATION, PackFailure.Use.ASSISTANT);
        ChatTemplate template = chatTemplate(pack);
        String digest = "sha256:" + PackCatalog.manifestDigest(pack);
        ModelCache.Lease<LoadedDecoder> lease = PackFailures.translate(() -> decoder(pack));
        return new ChatModel() {
            @Override
            public String packDigest() {
                return digest;
            }

            @Override
            public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener,
                                         CancellationSignal cancel) {
                LoadedDecoder decoder = lease.model();
                return decoder.inTurn(() -> decoder.generator.generateChat(template, messages, request, listener, cancel));
            }

            @Override
            public int contextLimit() {
                return lease.model().model.config().contextLimit();
            }

            @Override
            public String renderPrompt(List<ChatMessage> messages) {
                return template.render(messages, true);
            }

            @Override
            public int promptTokens(List<ChatMessage> messages) {
                return prepare(messages).tokens();
            }

            @Override
            public PreparedPrompt prepare(List<ChatMessage> messages) {
                // the same rendering and encoding as TextGenerator.generateChat
                return new PreparedPrompt(lease.model().tokenizer.encode(renderPrompt(messages), false));
            }

            @Override
            public GenerationResult chat(PreparedPrompt prompt, GenerationRequest request, TokenListener listener,
                                         CancellationSignal cancel) {
                LoadedDecoder decoder = lease.model();
                return decoder.inTurn(() -> decoder.generator.generate(prompt.tokenIds(), request, listener, cancel));
            }

            @Override
            public void close() {
                lease.close();
            }
        };
    }

    /** The installed embedding pack the library uses (the bundled default), if it is installed. */
    public Optional<Embedder> openDefaultEmbedder() {
        Optional<String> name = DefaultPack.locate().map(DefaultPack::name);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        InstalledPack pack;
        try {
            pack = catalog.find(name.get(), true);
        } catch (UserFacingException notInstalled) {
            return Optional.empty();
        }
        String digest = "sha256:" + PackCatalog.manifestDigest(pack);
        ModelCache.Lease<LoadedEmbedder> lease = PackFailures.translate(() -> embedder(pack));
        OnnxEmbeddingModel model = lease.model().model;
        return Optional.of(new Embedder() {
            @Override
            public String packDigest() {
                return digest;
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return model.embed(texts);
            }

            @Override
            public void close() {
                lease.close();
            }
        });
    }

    // ---------------------------------------------------------------- loaded models

    /**
     * How many intra-op threads models get, and why.
     *
     * @param threads the count
     * @param why     plain words, e.g. "low-power mode off" or "set in Settings"
     */
    public record ThreadPlan(int threads, String why) {
    }

    /**
     * The thread count new sessions get: the Settings value when set (it wins over the power mode, as the Settings
     * screen says), else all cores, or half of them in low-power mode.
     */
    public ThreadPlan threadPlan() {
        AppSettings s = settings.get();
        HardwareProfile hw = hardware();
        if (s.inferenceThreads() > 0) {
            return new ThreadPlan(s.inferenceThreads(), "set in Settings");
        }
        return new ThreadPlan(hw.inferenceThreads(s.lowPowerMode()),
                s.lowPowerMode() ? "low-power mode on" : "low-power mode off");
    }

    /** This computer's cores, vector instructions and memory (read once per run). */
    public synchronized HardwareProfile hardware() {
        if (hardware == null) {
            hardware = HardwareProfile.detect();
        }
        return hardware;
    }

    /** The models loaded now, most recently used first, with what each actually got. */
    public List<LoadedModel> loadedModels() {
        List<LoadedModel> out = new ArrayList<>();
        for (ModelCache.Loaded l : models().loaded()) {
            if (l.model() instanceof Described d) {
                out.add(d.describe(l.key(), l.inUse()));
            }
        }
        return out;
    }

    /**
     * Where new sessions will run and with how many threads, in plain words, e.g.
     * {@code CPU, 2 threads (low-power mode off); no GPU: this ONNX Runtime build has no CUDA provider}.
     */
    public String runtimePlan() {
        ThreadPlan threads = threadPlan();
        OrtSessions.Plan plan = OrtSessions.plan(ExecutionPreference.GPU_WHEN_AVAILABLE);
        String where = plan.tryCuda() ? "CUDA when it starts (else CPU)" : RuntimeChoice.CPU;
        return where + ", " + threads.threads() + (threads.threads() == 1 ? " thread" : " threads") + " ("
                + threads.why() + ")" + (plan.reason().isEmpty() ? "" : "; no GPU: " + plan.reason());
    }

    /**
     * Loads an installed pack into the model cache now (it stays loaded) and says how it runs.
     *
     * @throws UserFacingException when it cannot be loaded
     */
    public LoadedModel load(String name) {
        InstalledPack pack = catalog.find(name, true);
        PackManifest m = pack.manifest();
        return PackFailures.translate(() -> {
            if (m.kind() == PackKind.EMBEDDING) {
                try (ModelCache.Lease<LoadedEmbedder> lease = embedder(pack)) {
                    return lease.model().describe(lease.key(), 0);
                }
            }
            try (ModelCache.Lease<LoadedDecoder> lease = decoder(pack)) {
                return lease.model().describe(lease.key(), 0);
            }
        });
    }

    /**
     * Unloads every model (on lock and when the window closes); models in use are closed when their task ends.
     *
     * @return how many were unloaded
     */
    public int unloadModels() {
        return models().retireAll();
    }

    /** Drops the models of the pack installed as {@code packId}; each closes now, or when the task using it ends. */
    void unload(String packId) {
        models().retire(k -> k.pack().equals(packId));
    }

    private synchronized ModelCache models() {
        if (models == null) {
            long total = hardware().totalMemoryBytes();
            models = new ModelCache(MAX_LOADED_MODELS, total > 0 ? total / 2 : Long.MAX_VALUE);
        }
        return models;
    }

    /** How a model is loaded: a change reloads it at its next use. */
    private record LoadConfig(int threads, String why, ExecutionPreference preference) {
    }

    private LoadConfig loadConfig() {
        ThreadPlan plan = threadPlan();
        return new LoadConfig(plan.threads(), plan.why(), ExecutionPreference.GPU_WHEN_AVAILABLE);
    }

    /** The memory a pack needs when loaded. */
    static long ramNeed(PackManifest m) {
        return MemoryFit.need(m.hardware() == null ? 0 : m.hardware().ramEstimateBytes(), m.totalBytes());
    }

    private ModelCache.Lease<LoadedEmbedder> embedder(InstalledPack pack) {
        PackManifest m = pack.manifest();
        Path dir = pack.directory();
        LoadConfig config = loadConfig();
        return models().acquire(new ModelCache.Key(m.installDirName(), PackCatalog.manifestDigest(pack), "embedding"),
                config, ramNeed(m), LoadedEmbedder.class, () -> {
                    EmbeddingOptions defaults = EmbeddingOptions.defaults();
                    EmbeddingOptions options = new EmbeddingOptions(config.threads(), defaults.maxBatchSize(),
                            defaults.maxTokens(), defaults.fullGraphOptimization());
                    OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir.resolve(m.model().modelFile()),
                            dir.resolve(m.tokenizer()), options, config.preference());
                    LOG.info("Loaded {} for embeddings: {}", SafeText.forLog(m.name()), model.runtimeChoice().describe());
                    return new LoadedEmbedder(model, m.name(), config.why());
                });
    }

    private ModelCache.Lease<LoadedDecoder> decoder(InstalledPack pack) {
        PackManifest m = pack.manifest();
        Path dir = pack.directory();
        LoadConfig config = loadConfig();
        return models().acquire(new ModelCache.Key(m.installDirName(), PackCatalog.manifestDigest(pack), "chat"),
                config, ramNeed(m), LoadedDecoder.class, () -> {
                    OnnxDecoderModel model = OnnxDecoderModel.open(dir, dir.resolve(m.model().modelFile()),
                            new DecoderOptions(config.threads()), config.preference());
                    try {
                        TextTokenizer tokenizer = TextTokenizer.load(dir.resolve(m.tokenizer()));
                        LOG.info("Loaded {} for generation: {}", SafeText.forLog(m.name()), model.runtimeChoice().describe());
                        return new LoadedDecoder(model, tokenizer, m.name(), config.why());
                    } catch (RuntimeException e) {
                        model.close();
                        throw e;
                    }
                });
    }

    /** A cached model that can say how it runs. */
    private interface Described {
        LoadedModel describe(ModelCache.Key key, int inUse);
    }

    private static final class LoadedEmbedder implements AutoCloseable, Described {
        final OnnxEmbeddingModel model;
        final String name;
        final String why;

        LoadedEmbedder(OnnxEmbeddingModel model, String name, String why) {
            this.model = model;
            this.name = name;
            this.why = why;
        }

        @Override
        public LoadedModel describe(ModelCache.Key key, int inUse) {
            return new LoadedModel(key.pack(), name, key.role(), model.runtimeChoice(), why, inUse);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    /**
     * A loaded decoder and its tokenizer. Generations on it take turns ({@link #inTurn}), first come first served, so
     * every caller of a shared model (window, command line, local API) queues here instead of competing for the cores.
     */
    private static final class LoadedDecoder implements AutoCloseable, Described {
        private final ReentrantLock turn = new ReentrantLock(true);
        final OnnxDecoderModel model;
        final TextTokenizer tokenizer;
        final TextGenerator generator;
        final String name;
        final String why;

        LoadedDecoder(OnnxDecoderModel model, TextTokenizer tokenizer, String name, String why) {
            this.model = model;
            this.tokenizer = tokenizer;
            this.generator = new TextGenerator(model, tokenizer);
            this.name = name;
            this.why = why;
        }

        @Override
        public LoadedModel describe(ModelCache.Key key, int inUse) {
            return new LoadedModel(key.pack(), name, key.role(), model.runtimeChoice(), why, inUse);
        }

        /** Runs one generation when it is this caller's turn; blocks until then. */
        <T> T inTurn(Supplier<T> generation) {
            turn.lock();
            try {
                return generation.get();
            } finally {
                turn.unlock();
            }
        }

        @Override
        public void close() {
            try {
                tokenizer.close();
            } finally {
                model.close();
            }
        }
    }
}
