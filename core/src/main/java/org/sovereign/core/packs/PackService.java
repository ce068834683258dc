package org.sovereign.core.packs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.SamplingSettings;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.importer.HfModelFolder;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.VariantChoice;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackException;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.PackSigner;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.pack.UntrustedPackException;
import org.sovereign.packs.runtime.ExecutionPreference;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.runtime.ModelCache;
import org.sovereign.packs.runtime.OrtSessions;
import org.sovereign.packs.runtime.RuntimeChoice;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsException;
import org.sovereign.packs.signing.OperationCancelledException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.tokenizer.TextTokenizer;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.FolderChatModel;
import org.sovereign.packs.embedding.Embedder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Model packs for the CLI and the desktop: keys, import, signing, verification, install (audited), listing,
 * removal, text generation and embeddings. Packs live in {@code <data dir>/packs/}. Every failure the person can
 * act on is a {@link UserFacingException} with one plain line; nothing is left half-written.
 *
 * <p>Loaded models are kept in a {@link ModelCache} (at most {@link #MAX_LOADED_MODELS}, within half the physical
 * memory) and shared: {@link #openDefaultEmbedder()} and {@link #openChatModel} hand out leases whose
 * {@code close()} only releases the model. Sessions get their intra-op threads from the settings (0 = from the
 * hardware profile and the power mode) and run on CUDA when this build has it, else on the CPU. A changed thread
 * setting reloads a model the next time it is used. Removing a pack, {@link #unloadModels()} (on lock and when the
 * window closes) drop models, closing each once no task uses it.
 */
public final class PackService {

    public static final String PACKS_DIR = "packs";
    /** Most models kept loaded at once. */
    public static final int MAX_LOADED_MODELS = 3;
    static final String VERIFY_PREFIX = ".verify-";
    static final String REMOVING_PREFIX = ".removing-";
    private static final Logger LOG = LoggerFactory.getLogger(PackService.class);

    private final Path dataDir;
    private final StoreService store;
    private final Supplier<AppSettings> settings;
    private final PackInstaller installer = new PackInstaller();
    private ModelCache models;
    private HardwareProfile hardware;

    /** With the default settings (automatic threads, normal power mode). */
    public PackService(Path dataDir, StoreService store) {
        this(dataDir, store, AppSettings::defaults);
    }

    /**
     * @param settings read each time a model loads (threads, power mode)
     */
    public PackService(Path dataDir, StoreService store, Supplier<AppSettings> settings) {
        this.dataDir = dataDir;
        this.store = store;
        this.settings = settings;
        cleanStaleFolders();
    }

    /**
     * Deletes temporary folders a crashed install, verification or removal left in the packs folder. Folders whose
     * owner (this or another process) still holds their lock are left alone.
     */
    private void cleanStaleFolders() {
        try {
            List<Path> removed = StagingFolder.cleanStale(packsDir(),
                    List.of(PackInstaller.STAGING_PREFIX, VERIFY_PREFIX, REMOVING_PREFIX));
            if (!removed.isEmpty()) {
                LOG.info("Removed {} unfinished pack folder(s) left by an interrupted run: {}", removed.size(),
                        org.sovereign.core.common.SafeText.forLog(removed));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up unfinished pack folders in {}: {}", org.sovereign.core.common.SafeText.forLog(packsDir()),
                    org.sovereign.core.common.SafeText.forLog(e.getMessage()));
        }
    }

    public Path packsDir() {
        return dataDir.resolve(PACKS_DIR);
    }

    // ---------------------------------------------------------------- keys, import, sign, verify

    /** Writes a fresh P-256 key pair to {@code key} (PKCS#8, 0600) and {@code key}.pub; returns its key id. */
    public String keygen(Path key) {
        Path pub = publicKeyFile(key);
        for (Path p : List.of(key, pub)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserFacingException(p + " already exists; key files are never overwritten.");
            }
        }
        KeyPair pair = EcKeys.generate();
        return PackFailures.translate(() -> {
            EcKeys.writePrivateKey(pair.getPrivate(), key);
            try {
                EcKeys.writePublicKey(pair.getPublic(), pub);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(key);
                throw e;
            }
            return KeyId.of(pair.getPublic());
        });
    }

    /** Imports a Hugging Face ONNX folder as a {@code .mpack} (the best-fit variant for this machine). */
    public PackManifest importFolder(Path folder, Path out, String name, String version, String licence, String source) {
        return importFolder(folder, out, new HfPackImporter.Options(name, version, licence, source),
                ProgressListener.NONE).manifest();
    }

    /** Imports a Hugging Face ONNX folder as a {@code .mpack}: the variant asked for in {@code options}, or the best fit. */
    public HfPackImporter.Result importFolder(Path folder, Path out, HfPackImporter.Options options,
                                              ProgressListener progress) {
        return PackFailures.translate(() -> new HfPackImporter(org.sovereign.core.Version.current())
                .importFolder(folder, out, options, progress, () -> false));
    }

    /** The layout and variants of a Hugging Face ONNX folder. */
    public HfModelFolder variants(Path folder) {
        return PackFailures.translate(() -> new HfPackImporter(org.sovereign.core.Version.current()).inspect(folder));
    }

    /** The variant of {@code folder} that importing it without a choice takes, and why. */
    public VariantChoice defaultVariant(HfModelFolder folder) {
        return PackFailures.translate(() -> new HfPackImporter(org.sovereign.core.Version.current()).choose(folder, null));
    }

    /** Signs a pack folder or {@code .mpack} in place with {@code key} (and {@code key}.pub); returns the key id. */
    public String sign(Path pack, Path key, ProgressListener progress) {
        KeyPair pair = readKeyPair(key);
        return PackFailures.translate(() -> {
            if (Files.isDirectory(pack, LinkOption.NOFOLLOW_LINKS)) {
                new PackSigner().sign(pack, pair, progress, () -> false);
                return KeyId.of(pair.getPublic());
            }
            requireFile(pack);
            Path parent = pack.toAbsolutePath().getParent();
            Path temp = Files.createTempDirectory(parent, ".sign-");
            try {
                InstalledPack extracted = installer.install(pack, temp, TrustPolicy.none(), true,
                        ProgressListener.NONE, () -> false).pack();
                Files.deleteIfExists(extracted.directory().resolve(PackLayout.PRIMARY_SIGNATURE));
                PackFolders.deleteQuietly(extracted.directory().resolve(PackLayout.SIGNATURES_DIR));
                new PackSigner().sign(extracted.directory(), pair, progress, () -> false);
                new MpackWriter().write(extracted.directory(), pack);
            } finally {
                PackFolders.deleteQuietly(temp);
            }
            return KeyId.of(pair.getPublic());
        });
    }

    /**
     * Checks a pack folder or {@code .mpack} without installing it: archive safety, manifest, signatures and every
     * file's digest. Trusted keys are {@code trustKeys} plus {@code <data dir>/trust/*.pub}.
     */
    public PackVerification verify(Path pack, List<Path> trustKeys, ProgressListener progress) {
        return verify(pack, trustKeys, progress, () -> false);
    }

    /**
     * As {@link #verify(Path, List, ProgressListener)}, stopping when {@code cancel} turns true.
     *
     * @throws CancellationException when cancelled (nothing is left behind)
     */
    public PackVerification verify(Path pack, List<Path> trustKeys, ProgressListener progress, BooleanSupplier cancel) {
        TrustPolicy policy = PackTrust.policy(dataDir, trustKeys);
        if (!Files.exists(pack, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The file " + pack + " does not exist.");
        }
        return PackFailures.translate(() -> {
            // Same file system as real installs (space check, no small tmpfs); dot folders are never listed as packs.
            try (StagingFolder temp = StagingFolder.create(Files.createDirectories(packsDir()), VERIFY_PREFIX)) {
                InstallResult r = installer.install(pack, temp.path(), policy, true, progress, cancel);
                return new PackVerification(r.verdict(), signerIds(r.pack().directory()));
            } catch (OperationCancelledException e) {
                throw new CancellationException("Verification cancelled");
            } catch (UntrustedPackException e) {
                return new PackVerification(e.verdict(), List.of());
            } catch (PackException | OmsException e) {
                return new PackVerification(new Verdict.Invalid(PackFailures.oneLine(e.getMessage())), List.of());
            }
        });
    }

    // ---------------------------------------------------------------- install, list, remove

    /**
     * Installs a pack into {@code <data dir>/packs}. Needs the vault (the install is audited): refused when there is
     * none. Unsigned or untrusted packs only with {@code trustAnyway}, which is audited as
     * {@code pack.trusted_anyway}; a refused pack is audited as {@code pack.rejected}.
     */
    public InstallResult install(Path source, List<Path> trustKeys, boolean trustAnyway, Supplier<char[]> passphrase,
                                 ProgressListener progress) {
        requireVault();
        TrustPolicy policy = PackTrust.policy(dataDir, trustKeys);
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The file " + source + " does not exist.");
        }
        try (LocalStore local = store.unlock(passphrase.get())) {
            return install(local, source, policy, trustAnyway, progress, () -> false);
        }
    }

    /**
     * Installs a pack with a store the caller has unlocked already (the desktop), trusting the keys in
     * {@code <data dir>/trust}; audited as {@link #install(Path, List, boolean, Supplier, ProgressListener)} is.
     *
     * @throws CancellationException when cancelled (nothing is installed)
     */
    public InstallResult install(LocalStore local, Path source, boolean trustAnyway, ProgressListener progress,
                                 BooleanSupplier cancel) {
        if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The file " + source + " does not exist.");
        }
        return install(local, source, PackTrust.policy(dataDir, List.of()), trustAnyway, progress, cancel);
    }

    private InstallResult install(LocalStore local, Path source, TrustPolicy policy, boolean trustAnyway,
                                  ProgressListener progress, BooleanSupplier cancel) {
        InstallResult result;
        try {
            result = PackFailures.translate(() -> {
                try {
                    return installer.install(source, packsDir(), policy, trustAnyway, progress, cancel);
                } catch (OperationCancelledException e) {
                    throw new CancellationException("Install cancelled");
                }
            });
        } catch (UserFacingException e) {
            if (e.getCause() instanceof UntrustedPackException u) {
                local.record(AuditTypes.PACK_REJECTED, Map.of("file", String.valueOf(source.getFileName()),
                        "verdict", u.verdict().status().name().toLowerCase(Locale.ROOT)));
            }
            throw e;
        }
        recordInstall(local, result, result.trustedAnyway() ? "trusted-anyway" : "signature");
        return result;
    }

    /**
     * Installs the embedding pack bundled with this build (audited like any install). It has no publisher
     * signature: it is accepted because its manifest digest equals the one built into this program, and every file
     * is verified against that manifest.
     */
    public InstallResult installDefault(Supplier<char[]> passphrase, ProgressListener progress) {
        requireVault();
        try (LocalStore local = store.unlock(passphrase.get())) {
            return installDefault(local, progress);
        }
    }

    /** The same, with a store the caller has unlocked already (and keeps open). */
    public InstallResult installDefault(LocalStore local, ProgressListener progress) {
        return installDefault(local, progress, () -> false);
    }

    /**
     * The same, stoppable: {@code cancel} is polled between buffers; a cancelled install leaves the packs folder
     * as it was and ends with a {@link UserFacingException}.
     */
    public InstallResult installDefault(LocalStore local, ProgressListener progress, java.util.function.BooleanSupplier cancel) {
        DefaultPack bundled = DefaultPack.locate().orElseThrow(() -> new UserFacingException(
                "This build has no bundled default pack (rebuild with './mvnw package -pl app -am')."));
        InstallResult result = PackFailures.translate(() -> installer.install(bundled.mpack(), packsDir(),
                TrustPolicy.none(), true, progress, cancel));
        String digest = manifestDigest(result.pack());
        if (!digest.equals(bundled.manifestSha256())) {
            PackFolders.deleteQuietly(result.pack().directory());
            local.record(AuditTypes.PACK_REJECTED, Map.of("file", bundled.mpack().getFileName().toString(),
                    "verdict", "digest-mismatch"));
            throw new UserFacingException("The bundled pack " + bundled.mpack() + " does not match the digest "
                    + "recorded in this build; it was not installed.");
        }
        recordInstall(local, result, "bundled-digest");
        local.record(AuditTypes.PACK_VERIFIED, Map.of("pack", result.pack().manifest().installDirName(),
                "manifest", digest, "trust", "bundled-digest"));
        return result;
    }

    /** True when this build bundles a default pack that is not installed yet. */
    public boolean defaultPackPending() {
        Optional<String> name = defaultPackName();
        if (name.isEmpty()) {
            return false;
        }
        try {
            find(name.get(), false);
            return false;
        } catch (UserFacingException notInstalled) {
            return true;
        }
    }

    /** The size in bytes of the bundled default pack's archive, if this build has one. */
    public Optional<Long> defaultPackSize() {
        return DefaultPack.locate().map(d -> {
            try {
                return Files.size(d.mpack());
            } catch (IOException e) {
                return -1L;
            }
        });
    }

    /** The bundled default pack's name, if this build has one. */
    public Optional<String> defaultPackName() {
        return DefaultPack.locate().map(DefaultPack::name);
    }

    private void recordInstall(LocalStore local, InstallResult result, String trust) {
        PackManifest m = result.pack().manifest();
        try {
            Map<String, String> refs = new HashMap<>(Map.of("pack", m.installDirName(),
                    "manifest", manifestDigest(result.pack()), "trust", trust,
                    "verdict", result.verdict().status().name().toLowerCase(Locale.ROOT)));
            signerKey(result.verdict()).ifPresent(k -> refs.put("signer", k));
            if (result.trustedAnyway()) {
                local.record(AuditTypes.PACK_TRUSTED_ANYWAY, refs);
            }
            local.record(AuditTypes.PACK_INSTALLED, refs);
        } catch (RuntimeException e) {
            PackFolders.deleteQuietly(result.pack().directory());
            throw e;
        }
    }

    /** The installed packs, sorted by folder name; damaged folders are listed with their problem. */
    public List<PackSummary> list() {
        TrustPolicy policy = PackTrust.policy(dataDir, List.of());
        List<PackSummary> rows = new ArrayList<>();
        for (Path dir : packFolders()) {
            String id = dir.getFileName().toString();
            try {
                InstalledPack pack = InstalledPack.open(dir);
                PackManifest m = pack.manifest();
                String state;
                try {
                    pack.fastCheck();
                    state = "files ok";
                } catch (RuntimeException e) {
                    state = "damaged: " + PackFailures.oneLine(e.getMessage());
                }
                Verdict v = pack.signatureVerdict(policy);
                state += ", signature " + VerdictText.shortWord(v);
                rows.add(new PackSummary(id, m.name(), m.version(), kindName(m.kind()), m.totalBytes(),
                        signer(m, v, dir), state, m.licence().spdxId()));
            } catch (IOException | RuntimeException e) {
                rows.add(new PackSummary(id, id, "?", "?", 0, "?",
                        "unreadable: " + PackFailures.oneLine(e.getMessage()), "?"));
            }
        }
        return rows;
    }

    /** Removes an installed pack given as NAME (when one version is installed) or NAME-VERSION. */
    public String remove(String name) {
        InstalledPack pack = find(name, false);
        Path dir = pack.directory();
        String id = dir.getFileName().toString();
        models().retire(k -> k.pack().equals(id)); // closed now, or when the task using it finishes
        return PackFailures.translate(() -> {
            Path doomed = packsDir().resolve(REMOVING_PREFIX + dir.getFileName());
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            PackFolders.deleteQuietly(doomed);
            return dir.getFileName().toString();
        });
    }

    // ---------------------------------------------------------------- generation and embeddings

    /** What to generate; nulls take the pack's defaults. */
    public record GenerateRequest(String pack, String prompt, boolean raw, Integer maxTokens, Double temperature,
                                  Long seed) {
    }

    /** The generation and whether it went into the audit log (if not, {@code note} says why). */
    public record GenerateOutcome(GenerationResult result, boolean audited, String note) {
    }

    /**
     * Generates text, streaming to {@code listener}. Audited (pack digest, salted commitments of prompt and output)
     * when a vault exists and {@code passphrase} gives one; otherwise the outcome's note says nothing was audited.
     */
    public GenerateOutcome generate(GenerateRequest request, TokenListener listener, Optional<char[]> passphrase) {
        InstalledPack pack = find(request.pack(), true);
        PackManifest m = pack.manifest();
        if (m.kind() != PackKind.TEXT_GENERATION) {
            throw new UserFacingException("Pack '" + m.name() + "' is an " + kindName(m.kind())
                    + " pack; 'generate' needs a text-generation pack.");
        }
        if (request.prompt() == null || request.prompt().isEmpty()) {
            throw new UserFacingException("The prompt is empty.");
        }
        String note = null;
        LocalStore local = null;
        if (!store.vaultExists()) {
            note = "Not audited: there is no vault yet ('sovereign vault init' creates one).";
        } else if (passphrase.isEmpty()) {
            note = "Not audited: no passphrase was given (use --passphrase-file or SOVEREIGN_PASSPHRASE to record it).";
        } else {
            local = store.unlock(passphrase.get());
        }
        try (LocalStore audit = local) {
            GenerationResult result = run(pack, request, listener);
            if (audit != null) {
                InferenceAudit.record(audit, m.installDirName(), manifestDigest(pack), request.prompt(), result.text());
            }
            return new GenerateOutcome(result, audit != null, note);
        }
    }

    private GenerationResult run(InstalledPack pack, GenerateRequest request, TokenListener listener) {
        PackManifest m = pack.manifest();
        Path dir = pack.directory();
        int maxTokens = request.maxTokens() != null ? request.maxTokens()
                : m.generation() != null ? m.generation().maxNewTokens() : 256;
        double temperature = request.temperature() != null ? request.temperature()
                : m.generation() != null ? m.generation().temperature() : 0.0;
        if (maxTokens < 1) {
            throw new UserFacingException("--max-tokens must be at least 1.");
        }
        if (temperature < 0 || temperature > 10) {
            throw new UserFacingException("--temperature must be between 0 and 10.");
        }
        SamplingSettings sampling = temperature == 0 ? SamplingSettings.greedy()
                : SamplingSettings.sampled(temperature, request.seed() != null ? request.seed() : System.nanoTime())
                .withTopP(m.generation() != null ? m.generation().topP() : 1.0);
        GenerationRequest gen = GenerationRequest.greedy(maxTokens).withSampling(sampling);
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

    private static ChatTemplate chatTemplate(InstalledPack pack) {
        PackManifest m = pack.manifest();
        if (m.chatTemplate() == null) {
            throw new UserFacingException("Pack '" + m.name() + "' has no chat template; use --raw to send the prompt as it is.");
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

    /** One embedding per text, in order. */
    public List<float[]> embed(String packName, List<String> texts) {
        InstalledPack pack = find(packName, true);
        PackManifest m = pack.manifest();
        if (m.kind() != PackKind.EMBEDDING) {
            throw new UserFacingException("Pack '" + m.name() + "' is a " + kindName(m.kind())
                    + " pack; 'embed' needs an embedding pack.");
        }
        if (texts.isEmpty()) {
            throw new UserFacingException("Give at least one text to embed.");
        }
        return PackFailures.translate(() -> {
            try (ModelCache.Lease<LoadedEmbedder> lease = embedder(pack)) {
                return lease.model().model.embed(texts);
            }
        });
    }

    /**
     * An installed text-generation pack for the assistant (files checked first), from the model cache: loaded on
     * first use, kept loaded afterwards. The caller closes it, which releases the model (it stays cached). Its
     * digest, as consent names packs, is {@code sha256:<manifest digest>}.
     */
    public ChatModel openChatModel(String name) {
        InstalledPack pack = find(name, true);
        PackManifest m = pack.manifest();
        if (m.kind() != PackKind.TEXT_GENERATION) {
            throw new UserFacingException("Pack '" + m.name() + "' is an " + kindName(m.kind()) + " pack; the assistant needs a text-generation pack.");
        }
        ChatTemplate template = chatTemplate(pack);
        String digest = "sha256:" + manifestDigest(pack);
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
                // the same rendering and encoding as TextGenerator.generateChat
                return lease.model().tokenizer.encode(renderPrompt(messages), false).length;
            }

            @Override
            public void close() {
                lease.close();
            }
        };
    }

    /** The installed embedding pack the library uses (the bundled default), if it is installed. */
    public Optional<Embedder> openDefaultEmbedder() {
        Optional<String> name = defaultPackName();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        InstalledPack pack;
        try {
            pack = find(name.get(), true);
        } catch (UserFacingException notInstalled) {
            return Optional.empty();
        }
        String digest = "sha256:" + manifestDigest(pack);
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
        InstalledPack pack = find(name, true);
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

    private static long ramNeed(PackManifest m) {
        return MemoryFit.need(m.hardware() == null ? 0 : m.hardware().ramEstimateBytes(), m.totalBytes());
    }

    private ModelCache.Lease<LoadedEmbedder> embedder(InstalledPack pack) {
        PackManifest m = pack.manifest();
        Path dir = pack.directory();
        LoadConfig config = loadConfig();
        return models().acquire(new ModelCache.Key(m.installDirName(), manifestDigest(pack), "embedding"), config,
                ramNeed(m), LoadedEmbedder.class, () -> {
                    EmbeddingOptions defaults = EmbeddingOptions.defaults();
                    EmbeddingOptions options = new EmbeddingOptions(config.threads(), defaults.maxBatchSize(),
                            defaults.maxTokens(), defaults.fullGraphOptimization());
                    OnnxEmbeddingModel model = OnnxEmbeddingModel.open(dir.resolve(m.model().modelFile()),
                            dir.resolve(m.tokenizer()), options, config.preference());
                    LOG.info("Loaded {} for embeddings: {}", org.sovereign.core.common.SafeText.forLog(m.name()), model.runtimeChoice().describe());
                    return new LoadedEmbedder(model, m.name(), config.why());
                });
    }

    private ModelCache.Lease<LoadedDecoder> decoder(InstalledPack pack) {
        PackManifest m = pack.manifest();
        Path dir = pack.directory();
        LoadConfig config = loadConfig();
        return models().acquire(new ModelCache.Key(m.installDirName(), manifestDigest(pack), "chat"), config,
                ramNeed(m), LoadedDecoder.class, () -> {
                    OnnxDecoderModel model = OnnxDecoderModel.open(dir, dir.resolve(m.model().modelFile()),
                            new DecoderOptions(config.threads()), config.preference());
                    try {
                        TextTokenizer tokenizer = TextTokenizer.load(dir.resolve(m.tokenizer()));
                        LOG.info("Loaded {} for generation: {}", org.sovereign.core.common.SafeText.forLog(m.name()),
                                model.runtimeChoice().describe());
                        return new LoadedDecoder(model, tokenizer, m.name(), config.why());
                    } catch (RuntimeException e) {
                        model.close();
                        throw e;
                    }
                });
    }

    // ---------------------------------------------------------------- the Models screen

    /** Every installed pack with its trust, files, memory fit and how it runs when loaded. */
    public List<PackDetails> details() {
        TrustPolicy policy = PackTrust.policy(dataDir, List.of());
        HardwareProfile hw = hardware();
        Map<String, LoadedModel> loaded = new HashMap<>();
        for (LoadedModel l : loadedModels()) {
            loaded.putIfAbsent(l.pack(), l);
        }
        List<PackDetails> rows = new ArrayList<>();
        for (Path dir : packFolders()) {
            String id = dir.getFileName().toString();
            try {
                InstalledPack pack = InstalledPack.open(dir);
                PackManifest m = pack.manifest();
                String files;
                try {
                    pack.fastCheck();
                    files = "files ok";
                } catch (IOException | RuntimeException e) {
                    files = "damaged: " + PackFailures.oneLine(e.getMessage());
                }
                Verdict v = pack.signatureVerdict(policy);
                rows.add(new PackDetails(id, m.name(), m.version(), kindName(m.kind()), m.totalBytes(),
                        m.licence() == null ? "?" : m.licence().spdxId(), v, trustText(m, v, dir), signer(m, v, dir),
                        files, MemoryFit.of(ramNeed(m), hw), Optional.ofNullable(loaded.get(id))));
            } catch (IOException | RuntimeException e) {
                rows.add(new PackDetails(id, id, "?", "?", 0, "?", null,
                        "unreadable: " + PackFailures.oneLine(e.getMessage()), "?", "unreadable",
                        MemoryFit.of(0, hw), Optional.empty()));
            }
        }
        return rows;
    }

    private static String trustText(PackManifest m, Verdict v, Path dir) {
        if (v instanceof Verdict.Unsigned && m.provenance() != null
                && DefaultPack.CONVERTER.equals(m.provenance().converter())) {
            return "Bundled with this build: checked against the digest built into the program.";
        }
        return VerdictText.describe(v, signerIds(dir));
    }

    /**
     * The outcome of a full re-verification.
     *
     * @param ok      every file matches and the signatures still verify
     * @param message plain words: what was checked, or what is wrong
     * @param file    the file at fault, when one is named
     */
    public record ReverifyResult(boolean ok, String message, Optional<String> file) {
    }

    /**
     * Re-hashes every file of an installed pack and re-checks its signatures, streaming with progress. A damaged
     * pack is unloaded. Recorded in the audit log when {@code local} is given.
     *
     * @throws CancellationException when cancelled
     */
    public ReverifyResult reverify(String id, LocalStore local, ProgressListener progress, BooleanSupplier cancel) {
        InstalledPack pack = find(id, false);
        PackManifest m = pack.manifest();
        TrustPolicy policy = PackTrust.policy(dataDir, List.of());
        ReverifyResult result;
        try {
            Verdict v = pack.reverify(policy, progress, cancel);
            result = new ReverifyResult(true, "All " + m.files().size() + " files match the manifest"
                    + (v.status() == Verdict.Status.UNSIGNED ? "." : " and the signature.") + " "
                    + trustText(m, v, pack.directory()), Optional.empty());
        } catch (OperationCancelledException e) {
            throw new CancellationException("Re-verification cancelled");
        } catch (FileIntegrityException e) {
            result = new ReverifyResult(false, "The file '" + e.file() + "' does not match what the pack recorded: "
                    + PackFailures.oneLine(e.getMessage()) + " Remove the pack and install it again from a good copy.",
                    Optional.of(e.file()));
        } catch (UntrustedPackException e) {
            result = new ReverifyResult(false, "The signature no longer checks out: "
                    + PackFailures.oneLine(e.verdict().describe()), Optional.empty());
        } catch (PackException | OmsException e) {
            result = new ReverifyResult(false, PackFailures.oneLine(e.getMessage()), Optional.empty());
        } catch (IOException e) {
            throw new UserFacingException("The pack " + id + " could not be read: " + e.getMessage(), e);
        }
        if (!result.ok()) {
            models().retire(k -> k.pack().equals(pack.directory().getFileName().toString()));
        }
        if (local != null) {
            Map<String, String> refs = new HashMap<>(Map.of("pack", m.installDirName(), "manifest", manifestDigest(pack),
                    "result", result.ok() ? "ok" : "failed"));
            result.file().ifPresent(f -> refs.put("file", f));
            local.record(AuditTypes.PACK_VERIFIED, refs);
        }
        return result;
    }

    // ---------------------------------------------------------------- helpers

    /** Finds an installed pack by NAME (one version installed) or NAME-VERSION; optionally checks its files. */
    InstalledPack find(String name, boolean check) {
        List<InstalledPack> matches = new ArrayList<>();
        for (Path dir : packFolders()) {
            try {
                InstalledPack p = InstalledPack.open(dir);
                if (p.manifest().name().equals(name) || p.manifest().installDirName().equals(name)) {
                    matches.add(p);
                }
            } catch (IOException | RuntimeException ignored) {
                // damaged folders are shown by 'pack list'
            }
        }
        if (matches.isEmpty()) {
            String hint = DefaultPack.locate().filter(d -> d.name().equals(name)).isPresent()
                    ? " It is bundled with this build: run 'sovereign pack install-default'."
                    : " Run 'sovereign pack list' to see the installed packs.";
            throw new UserFacingException("No pack named '" + name + "' is installed." + hint);
        }
        if (matches.size() > 1) {
            throw new UserFacingException("Several versions of '" + name + "' are installed; give NAME-VERSION, e.g. '"
                    + matches.get(0).manifest().installDirName() + "'.");
        }
        InstalledPack pack = matches.get(0);
        if (check) {
            PackFailures.translate(() -> {
                pack.fastCheck();
                return null;
            });
        }
        return pack;
    }

    private List<Path> packFolders() {
        Path dir = packsDir();
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UserFacingException("The packs folder " + dir + " cannot be read.", e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    private void requireVault() {
        if (!store.vaultExists()) {
            throw new UserFacingException("Installing a pack is recorded in the audit log, and there is no vault in "
                    + dataDir + " yet; run 'sovereign vault init' first.");
        }
    }

    private static String manifestDigest(InstalledPack pack) {
        return PackFailures.translate(() -> PackFolders.sha256(pack.directory().resolve(PackLayout.MANIFEST)));
    }

    private static Optional<String> signerKey(Verdict v) {
        if (v instanceof Verdict.TrustedPublisher t) {
            return Optional.of(t.keyId());
        }
        if (v instanceof Verdict.UntrustedSignature u && !u.signerKeyIds().isEmpty()) {
            return Optional.of(String.join(",", u.signerKeyIds()));
        }
        return Optional.empty();
    }

    /** Key ids named by the pack's signature bundles, trusted or not; unreadable bundles are skipped. */
    static List<String> signerIds(Path packDir) {
        List<Path> bundles = new ArrayList<>(List.of(packDir.resolve(PackLayout.PRIMARY_SIGNATURE)));
        Path more = packDir.resolve(PackLayout.SIGNATURES_DIR);
        if (Files.isDirectory(more, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(more, "*.sig")) {
                s.forEach(bundles::add);
            } catch (IOException ignored) {
                // listed as far as readable
            }
        }
        List<String> ids = new ArrayList<>();
        for (Path b : bundles) {
            try {
                if (Files.isRegularFile(b, LinkOption.NOFOLLOW_LINKS) && Files.size(b) <= OmsBundle.MAX_BYTES) {
                    OmsBundle bundle = OmsBundle.parse(Files.readAllBytes(b));
                    bundle.keyHint().or(() -> bundle.rawPublicKey().map(KeyId::of)).ifPresent(ids::add);
                }
            } catch (IOException | RuntimeException ignored) {
                // an unreadable bundle makes the verdict INVALID anyway
            }
        }
        return ids;
    }

    private static String signer(PackManifest m, Verdict v, Path dir) {
        if (v instanceof Verdict.TrustedPublisher t) {
            return "trusted publisher " + KeyId.shortForm(t.keyId());
        }
        if (v instanceof Verdict.UntrustedSignature u) {
            List<String> ids = u.signerKeyIds().isEmpty() ? signerIds(dir) : u.signerKeyIds();
            return ids.isEmpty() ? "untrusted key" : "untrusted key " + KeyId.shortForm(ids.get(0));
        }
        if (v instanceof Verdict.Unsigned && m.provenance() != null
                && DefaultPack.CONVERTER.equals(m.provenance().converter())) {
            return "bundled with this build (verified by digest)";
        }
        return VerdictText.shortWord(v);
    }

    static String kindName(PackKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static Path publicKeyFile(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static KeyPair readKeyPair(Path key) {
        Path pub = publicKeyFile(key);
        return PackFailures.translate(() -> {
            PrivateKey priv = EcKeys.readPrivateKey(key);
            if (!Files.isRegularFile(pub)) {
                throw new UserFacingException("The public key " + pub + " is missing; it must sit beside the private key.");
            }
            PublicKey publicKey = EcKeys.readPublicKey(pub);
            if (!matches(priv, publicKey)) {
                throw new UserFacingException(pub + " is not the public key of " + key + ".");
            }
            return new KeyPair(publicKey, priv);
        });
    }

    private static boolean matches(PrivateKey priv, PublicKey pub) {
        try {
            byte[] probe = "sovereign key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(priv);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException(file + " is neither a pack folder nor a .mpack file.");
        }
    }
}
