package org.sovereign.app.packs;

import org.sovereign.app.UserFacingException;
import org.sovereign.app.store.StoreService;
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
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackException;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.PackSigner;
import org.sovereign.packs.pack.UntrustedPackException;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsException;
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
import org.sovereign.app.assistant.ChatModel;
import org.sovereign.app.assistant.FolderChatModel;
import org.sovereign.app.library.Embedder;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Model packs for the CLI and the desktop: keys, import, signing, verification, install (audited), listing,
 * removal, text generation and embeddings. Packs live in {@code <data dir>/packs/}. Every failure the person can
 * act on is a {@link UserFacingException} with one plain line; nothing is left half-written.
 */
public final class PackService {

    public static final String PACKS_DIR = "packs";

    private final Path dataDir;
    private final StoreService store;
    private final PackInstaller installer = new PackInstaller();

    public PackService(Path dataDir, StoreService store) {
        this.dataDir = dataDir;
        this.store = store;
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

    /** Imports a Hugging Face ONNX folder as a {@code .mpack}. */
    public PackManifest importFolder(Path folder, Path out, String name, String version, String licence, String source) {
        return PackFailures.translate(() -> new HfPackImporter().importFolder(folder, out,
                new HfPackImporter.Options(name, version, licence, source)));
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
        TrustPolicy policy = PackTrust.policy(dataDir, trustKeys);
        if (!Files.exists(pack, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The file " + pack + " does not exist.");
        }
        return PackFailures.translate(() -> {
            // Same file system as real installs (space check, no small tmpfs); dot folders are never listed as packs.
            Path temp = Files.createTempDirectory(Files.createDirectories(packsDir()), ".verify-");
            try {
                InstallResult r = installer.install(pack, temp, policy, true, progress, () -> false);
                return new PackVerification(r.verdict(), signerIds(r.pack().directory()));
            } catch (UntrustedPackException e) {
                return new PackVerification(e.verdict(), List.of());
            } catch (PackException | OmsException e) {
                return new PackVerification(new Verdict.Invalid(PackFailures.oneLine(e.getMessage())), List.of());
            } finally {
                PackFolders.deleteQuietly(temp);
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
            InstallResult result;
            try {
                result = PackFailures.translate(() -> installer.install(source, packsDir(), policy, trustAnyway,
                        progress, () -> false));
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
        return PackFailures.translate(() -> {
            Path doomed = packsDir().resolve(".removing-" + dir.getFileName());
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
        return PackFailures.translate(() -> {
            try (TextTokenizer tokenizer = TextTokenizer.load(dir.resolve(m.tokenizer()));
                 OnnxDecoderModel model = OnnxDecoderModel.open(dir, dir.resolve(m.model().modelFile()),
                         DecoderOptions.defaults())) {
                TextGenerator generator = new TextGenerator(model, tokenizer);
                if (request.raw()) {
                    return generator.generate(request.prompt(), gen, listener, new CancellationSignal());
                }
                return generator.generateChat(chatTemplate(pack), List.of(ChatMessage.user(request.prompt())), gen,
                        listener, new CancellationSignal());
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
            try (OnnxEmbeddingModel model = OnnxEmbeddingModel.open(pack.directory().resolve(m.model().modelFile()),
                    pack.directory().resolve(m.tokenizer()), EmbeddingOptions.defaults())) {
                return model.embed(texts);
            }
        });
    }

    /**
     * Loads an installed text-generation pack for the assistant (files checked first). The caller closes it. Its
     * digest, as consent names packs, is {@code sha256:<manifest digest>}.
     */
    public ChatModel openChatModel(String name) {
        InstalledPack pack = find(name, true);
        PackManifest m = pack.manifest();
        if (m.kind() != PackKind.TEXT_GENERATION) {
            throw new UserFacingException("Pack '" + m.name() + "' is an " + kindName(m.kind()) + " pack; the assistant needs a text-generation pack.");
        }
        Path dir = pack.directory();
        ChatTemplate template = chatTemplate(pack);
        return PackFailures.translate(() -> new FolderChatModel(dir.resolve(m.model().modelFile()), dir.resolve(m.tokenizer()),
                template, "sha256:" + manifestDigest(pack)));
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
        PackManifest m = pack.manifest();
        String digest = "sha256:" + manifestDigest(pack);
        OnnxEmbeddingModel model = PackFailures.translate(() -> OnnxEmbeddingModel.open(pack.directory().resolve(m.model().modelFile()),
                pack.directory().resolve(m.tokenizer()), EmbeddingOptions.defaults()));
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
                model.close();
            }
        });
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
