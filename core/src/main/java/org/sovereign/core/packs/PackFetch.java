package org.sovereign.core.packs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.importer.OnnxGraphFacts;
import org.sovereign.packs.importer.Precision;
import org.sovereign.packs.importer.VariantChoice;
import org.sovereign.packs.pack.FileTrees;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.store.consent.ConsentHistory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.regex.Pattern;

/**
 * Downloading a model from a Hugging Face style hub and installing it: an onnx-community / Optimum repository (side
 * files at the root, models in {@code onnx/}) or a flat one. Only the tokenizer, the configuration files and the one
 * variant chosen (with its external-data files) are downloaded, into {@code <data dir>/downloads} (private to the
 * owner); every file is checked against the size and digest the hub lists for it (SHA-256 for large files, the git
 * blob id for small ones) before anything is imported; then the folder is imported ({@link PackImport}) and the pack
 * installed ({@link PackInstallation}, audited as trusted by the person, since hub repositories carry no publisher
 * signature).
 *
 * <p>Every connection goes through the workspace's egress guard under a live consent whose purposes include
 * {@link NetworkPurposes#PACK_FETCH} and whose sources name the host; redirects (a hub sends large files from another
 * host) are checked hop by hop, so that host must be named too. Without such a consent nothing is sent and
 * {@link ConsentNeeded} says which host needs one. A failed or cancelled download keeps what arrived (resumed with a
 * Range request next time); nothing is imported or installed unless every file is complete and matches. Blocks.
 */
public final class PackFetch {

    /** Where models are fetched from unless the person names another hub. */
    public static final URI DEFAULT_HUB = URI.create("https://huggingface.co");
    /** How many times one file is tried (each resuming the last) before the download stops. */
    static final int ATTEMPTS = 3;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** How long a download may receive nothing before its connection is given up (and resumed by the next try). */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_PAGES = 100;
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern REVISION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,199}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SAFE_PATH = Pattern.compile("[A-Za-z0-9._+-]+(/[A-Za-z0-9._+-]+)*");
    private static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja", "README.md", "LICENSE",
            "LICENSE.txt", "LICENSE.md", "LICENCE", "LICENCE.txt", "LICENCE.md");
    private static final String PART = ".part";

    private final Path downloads;
    private final Packs packs;
    private final UnlockedWorkspace workspace;
    private final Clock clock;
    private final HardwareProfile hardware;
    private final Duration idleTimeout;

    /**
     * What to fetch.
     *
     * @param repo     {@code owner/name} on the hub
     * @param revision a branch, tag or commit ({@code main} when none is given)
     * @param variant  a variant key ({@code q4}, {@code int8}, {@code fp32}, ...), precision or file name; null for
     *                 the best fit for this machine
     * @param hub      the hub's address ({@link #DEFAULT_HUB} unless the person chose another)
     */
    public record Request(String repo, String revision, String variant, URI hub) {
        public Request {
            if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..")) {
                throw new UserFacingException("'" + repo + "' is not a repository name; it looks like owner/name, "
                        + "for example onnx-community/Qwen2.5-0.5B-Instruct.");
            }
            revision = revision == null || revision.isBlank() ? "main" : revision.strip();
            if (!REVISION.matcher(revision).matches() || revision.contains("..")) {
                throw new UserFacingException("'" + revision + "' is not a revision (a branch, tag or commit).");
            }
            hub = hub == null ? DEFAULT_HUB : hub;
            String scheme = hub.getScheme() == null ? "" : hub.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || hub.getHost() == null) {
                throw new UserFacingException("The hub address '" + hub + "' is not an http or https address.");
            }
        }

        /** {@code owner/name} or {@code owner/name@revision}. */
        public static Request parse(String spec, String variant, URI hub) {
            String s = spec == null ? "" : spec.strip();
            int at = s.indexOf('@');
            return at < 0 ? new Request(s, null, variant, hub)
                    : new Request(s.substring(0, at), s.substring(at + 1), variant, hub);
        }

        /** The hub's host name, which a consent must name. */
        public String host() {
            return hub.getHost().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What a repository offers and what fetching it takes.
     *
     * @param commit    the commit the revision pointed to (everything is downloaded from it)
     * @param variants  the repository's variants (sizes from its listing, memory estimated from them)
     * @param choice    the variant that will be fetched, and why
     * @param bytes     the bytes to download: side files, the variant and its external data
     */
    public record Plan(Request request, String commit, List<ModelVariant> variants, VariantChoice choice, long bytes) {
    }

    /**
     * What was fetched and installed.
     *
     * @param bytes    the size of every file the pack was made from (side files, the variant, its external data)
     * @param received bytes downloaded in this run
     * @param resumed  bytes that were already on disk from an earlier, interrupted run
     */
    public record Result(Plan plan, HfPackImporter.Result imported, InstallResult installed, long bytes, long received,
                         long resumed) {
    }

    /**
     * The consent needed to contact {@link #host()} is missing (none, withdrawn, expired, or it does not name the
     * host); nothing was sent to that host.
     */
    public static final class ConsentNeeded extends UserFacingException {
        private final String host;
        private final String hubHost;

        ConsentNeeded(String message, String host, String hubHost) {
            super(message);
            this.host = host;
            this.hubHost = hubHost;
        }

        /** The host that was not contacted. */
        public String host() {
            return host;
        }

        /** The hub's own host (where the download starts). */
        public String hubHost() {
            return hubHost;
        }

        /**
         * The hosts a consent should name to let the fetch through: the hub, the refused host if that is another,
         * and for the Hugging Face Hub the domains it sends large files from ({@code *.hf.co}, {@code *.huggingface.co}).
         */
        public List<String> suggestedHosts() {
            List<String> hosts = new ArrayList<>();
            hosts.add(hubHost);
            if (hubHost.equals(DEFAULT_HUB.getHost())) {
                hosts.add("*.hf.co");
                hosts.add("*.huggingface.co");
            }
            if (!NetworkPurposes.names(hosts.stream().map(h -> NetworkPurposes.NET_SOURCE + h).toList(), host)) {
                hosts.add(host);
            }
            return List.copyOf(hosts);
        }
    }

    /** @param dataDir the data directory; downloads are kept in its {@code downloads} folder until installed */
    public PackFetch(Path dataDir, Packs packs, UnlockedWorkspace workspace, Clock clock) {
        this(dataDir, packs, workspace, clock, HardwareProfile.detect());
    }

    /** With the machine facts the default variant is chosen for. */
    public PackFetch(Path dataDir, Packs packs, UnlockedWorkspace workspace, Clock clock, HardwareProfile hardware) {
        this(dataDir, packs, workspace, clock, hardware, IDLE_TIMEOUT);
    }

    /** With another idle timeout (tests use a short one). */
    PackFetch(Path dataDir, Packs packs, UnlockedWorkspace workspace, Clock clock, HardwareProfile hardware,
              Duration idleTimeout) {
        this.idleTimeout = idleTimeout;
        this.downloads = dataDir.resolve("downloads");
        this.packs = packs;
        this.workspace = workspace;
        this.clock = clock;
        this.hardware = hardware;
    }

    /** The folder partial downloads are kept in. */
    public Path downloadsFolder() {
        return downloads;
    }

    /** Lists the repository and chooses the variant, downloading only its small side files (kept for the fetch). */
    public Plan plan(Request request, Progress progress) {
        return run(request, () -> planWith(client(), request, progress).plan);
    }

    /** Downloads, checks, imports and installs (see the class comment). */
    public Result fetch(Request request, Progress progress) {
        return run(request, () -> fetchWith(client(), request, progress));
    }

    // ------------------------------------------------------------------------------------------------- the work

    private record Planned(Plan plan, Map<String, HubFile> listing, Path folder, long received, long resumed) {
    }

    private Planned planWith(HubClient client, Request request, Progress progress)
            throws IOException, InterruptedException {
        String commit = commitOf(client, request);
        Map<String, HubFile> listing = listing(client, request, commit);
        Path folder = folderFor(request, commit);
        if (!listing.containsKey("tokenizer.json")) {
            throw new UserFacingException("The repository " + request.repo() + " has no tokenizer.json at its root; "
                    + "it is not a Hugging Face ONNX model repository this workstation can import.");
        }
        String modelDir = listing.keySet().stream().anyMatch(p -> p.startsWith("onnx/") && isOnnx(p, "onnx/"))
                ? "onnx/" : "";
        List<HubFile> onnx = onnxFiles(listing, modelDir);
        if (onnx.isEmpty()) {
            throw new UserFacingException("The repository " + request.repo() + " has no ONNX model (onnx/model*.onnx "
                    + "or model.onnx); look for its ONNX export, often published under onnx-community.");
        }
        List<HubFile> side = SIDE_FILES.stream().map(listing::get).filter(f -> f != null).toList();
        long sideBytes = side.stream().mapToLong(HubFile::size).sum();
        long[] counts = new long[2];
        for (HubFile f : side) {
            fetchFile(client, request, commit, f, folder, progress, 0, sideBytes, counts);
        }
        JsonNode config = readJson(folder.resolve("config.json"));
        List<ModelVariant> variants = new ArrayList<>();
        for (HubFile f : onnx) {
            variants.add(remoteVariant(f, listing, modelDir, config, variants));
        }
        variants.sort(Comparator.comparingInt((ModelVariant v) -> order(v.key())).thenComparing(ModelVariant::key));
        VariantChoice choice = choose(variants, request);
        long bytes = sideBytes + choice.variant().sizeBytes();
        return new Planned(new Plan(request, commit, variants, choice, bytes), listing, folder, counts[0], counts[1]);
    }

    private Result fetchWith(HubClient client, Request request, Progress progress)
            throws IOException, InterruptedException {
        Planned planned = planWith(client, request, progress);
        Plan plan = planned.plan;
        ModelVariant variant = plan.choice().variant();
        String onnxPath = variant.file().toString().replace('\\', '/');
        HubFile onnx = planned.listing.get(onnxPath);
        long[] counts = {planned.received, planned.resumed};
        long sideBytes = plan.bytes() - variant.sizeBytes();
        long total = plan.bytes();
        fetchFile(client, request, plan.commit(), onnx, planned.folder, progress, sideBytes, total, counts);
        // the graph itself says which files hold its weights; the listing's names were only an estimate
        List<HubFile> data = new ArrayList<>();
        for (String location : OnnxGraphFacts.read(planned.folder.resolve(onnxPath)).externalData().keySet()) {
            String path = onnx.folder() + location;
            HubFile file = planned.listing.get(path);
            if (!SAFE_PATH.matcher(location).matches() || location.contains("..") || file == null) {
                throw new UserFacingException("The variant " + variant.key() + " (" + onnx.name() + ") keeps its "
                        + "weights in '" + location + "', which the repository does not list; it cannot be fetched.");
            }
            if (!data.contains(file)) {
                data.add(file);
            }
        }
        total = sideBytes + onnx.size() + data.stream().mapToLong(HubFile::size).sum();
        long done = sideBytes + onnx.size();
        for (HubFile f : data) {
            fetchFile(client, request, plan.commit(), f, planned.folder, progress, done, total, counts);
            done += f.size();
        }
        Path mpack = planned.folder.resolveSibling(planned.folder.getFileName() + ".mpack");
        Files.deleteIfExists(mpack);
        try {
            String name = HfPackImporter.nameFrom(Path.of(request.repo().substring(request.repo().indexOf('/') + 1)));
            if (plan.variants().size() > 1) {
                name = (name.length() > 63 - variant.key().length() ? name.substring(0, 63 - variant.key().length())
                        : name) + "-" + variant.key();
            }
            String source = "Downloaded from " + request.hub().resolve("/" + request.repo()) + " at commit "
                    + plan.commit() + " (variant " + variant.key() + ", " + onnxPath + ")";
            HfPackImporter.Result imported = packs.importer().importFolder(planned.folder, mpack,
                    new HfPackImporter.Options(name, plan.commit().substring(0, 12), null, source, variant.key()),
                    progress);
            progress.checkCancelled();
            InstallResult installed = packs.installation().install(workspace.store(), mpack, true, progress);
            FileTrees.deleteQuietly(planned.folder);
            return new Result(plan, imported, installed, total, counts[0], counts[1]);
        } finally {
            Files.deleteIfExists(mpack);
            try (var left = Files.list(planned.folder.getParent())) {
                if (left.findAny().isEmpty()) {
                    Files.delete(planned.folder.getParent());
                }
            } catch (IOException e) {
                // only tidying up
            }
        }
    }

    /**
     * Brings one file into {@code folder}: kept if already there and matching, else downloaded into {@code path.part}
     * (resumed, up to {@link #ATTEMPTS} tries), checked, then moved into place. A file that does not match its
     * listing is deleted and the fetch refused.
     */
    private void fetchFile(HubClient client, Request request, String commit, HubFile file, Path folder,
                           Progress progress, long doneBefore, long total, long[] counts)
            throws IOException, InterruptedException {
        if (!SAFE_PATH.matcher(file.path()).matches() || file.path().contains("..")) {
            throw new UserFacingException("The repository lists a file with an unusable name ('" + file.path()
                    + "'); it was not downloaded.");
        }
        Path target = folder.resolve(file.path());
        if (Files.isRegularFile(target) && file.matches(target, progress)) {
            progress.update(Math.min(total, doneBefore + file.size()), total, "Already downloaded: " + file.path());
            return;
        }
        Files.deleteIfExists(target);
        createPrivateDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + PART);
        URI uri = URI.create(base(request) + "/" + request.repo() + "/resolve/" + commit + "/" + file.path());
        long before = Files.exists(part) ? Math.min(Files.size(part), file.size()) : 0;
        IOException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                counts[0] += client.download(uri, part, file.size(), progress, doneBefore, total, file.path());
                last = null;
                break;
            } catch (HubClient.HubStatusException e) {
                if (e.status < 500) {
                    throw statusFailure(e, request, file.path());
                }
                last = e;
            } catch (IOException e) {
                last = e;
            }
        }
        if (last != null) {
            throw new UserFacingException("The download of " + file.path() + " from " + request.host() + " stopped ("
                    + reason(last) + "). What arrived is kept; fetching again resumes it.", last);
        }
        counts[1] += before;
        if (!file.matches(part, progress)) {
            Files.deleteIfExists(part);
            throw new UserFacingException(file.path() + " does not match the " + (file.sha256() != null ? "SHA-256"
                    : "digest") + " the hub lists for it; it was deleted and nothing was imported.");
        }
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private String commitOf(HubClient client, Request request) throws IOException, InterruptedException {
        URI uri = URI.create(base(request) + "/api/models/" + request.repo() + "/revision/"
                + URLEncoder.encode(request.revision(), StandardCharsets.UTF_8));
        JsonNode info;
        try {
            info = client.json(uri).body();
        } catch (HubClient.HubStatusException e) {
            throw statusFailure(e, request, null);
        }
        String sha = info.path("sha").asText("");
        if (!COMMIT.matcher(sha).matches()) {
            throw new UserFacingException("The hub did not say which commit " + request.repo() + "@" + request.revision()
                    + " is; nothing was downloaded.");
        }
        return sha;
    }

    private Map<String, HubFile> listing(HubClient client, Request request, String commit)
            throws IOException, InterruptedException {
        Map<String, HubFile> files = new LinkedHashMap<>();
        URI next = URI.create(base(request) + "/api/models/" + request.repo() + "/tree/" + commit + "?recursive=true");
        for (int page = 0; next != null; page++) {
            if (page == MAX_PAGES) {
                throw new UserFacingException("The repository " + request.repo() + " lists more files than this "
                        + "workstation reads; it was not downloaded.");
            }
            HubClient.Page p;
            try {
                p = client.json(next);
            } catch (HubClient.HubStatusException e) {
                throw statusFailure(e, request, null);
            }
            if (!p.body().isArray()) {
                throw new UserFacingException("The hub's file list for " + request.repo() + " is not a list.");
            }
            for (JsonNode e : p.body()) {
                if (!"file".equals(e.path("type").asText())) {
                    continue;
                }
                String path = e.path("path").asText("");
                JsonNode lfs = e.get("lfs");
                String sha256 = lfs != null ? lfs.path("oid").asText("").toLowerCase(Locale.ROOT) : null;
                if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                    throw new UserFacingException("The hub lists no usable SHA-256 for " + path + "; it cannot be "
                            + "checked, so it was not downloaded.");
                }
                long size = lfs != null ? lfs.path("size").asLong(-1) : e.path("size").asLong(-1);
                String oid = e.path("oid").asText("").toLowerCase(Locale.ROOT);
                if (size >= 0 && !path.isEmpty()) {
                    files.put(path, new HubFile(path, size, sha256, COMMIT.matcher(oid).matches() ? oid : null));
                }
            }
            next = p.next().orElse(null);
        }
        return files;
    }

    // ---------------------------------------------------------------------------------------------- variants

    private static final List<String> ORDER = List.of("fp32", "fp16", "int8", "uint8", "quantized", "q4", "q4f16",
            "bnb4");

    private static int order(String key) {
        return ORDER.contains(key) ? ORDER.indexOf(key) : ORDER.size();
    }

    private static boolean isOnnx(String path, String dir) {
        return path.startsWith(dir) && path.indexOf('/', dir.length()) < 0 && path.endsWith(".onnx");
    }

    /** {@code model.onnx} and {@code model_*.onnx} in the model folder, or every ONNX file there if none is so named. */
    private static List<HubFile> onnxFiles(Map<String, HubFile> listing, String dir) {
        List<HubFile> all = listing.values().stream().filter(f -> isOnnx(f.path(), dir)).toList();
        List<HubFile> named = all.stream().filter(f -> f.name().equals("model.onnx") || f.name().startsWith("model_"))
                .toList();
        return named.isEmpty() ? all : named;
    }

    /**
     * A variant as the listing shows it: key and precision from its name (the onnx-community naming), size with
     * the files its name suggests hold its external data ({@code NAME_data}, {@code NAME_data_N}), and a memory
     * estimate in the importer's manner. The graph is read only after download.
     */
    private static ModelVariant remoteVariant(HubFile f, Map<String, HubFile> listing, String dir, JsonNode config,
                                              List<ModelVariant> earlier) {
        String stem = f.name().substring(0, f.name().length() - ".onnx".length());
        Precision precision = switch (stem.startsWith("model_") ? stem.substring("model_".length()) : "") {
            case "fp16" -> Precision.FP16;
            case "int8" -> Precision.INT8;
            case "uint8", "quantized" -> Precision.UINT8;
            case "q4" -> Precision.Q4;
            case "q4f16" -> Precision.Q4F16;
            case "bnb4" -> Precision.BNB4;
            default -> Precision.FP32;
        };
        String key = stem.equals("model") ? "fp32" : stem.startsWith("model_")
                ? stem.substring("model_".length()).toLowerCase(Locale.ROOT) : stem.toLowerCase(Locale.ROOT);
        List<String> data = new ArrayList<>();
        long size = f.size();
        for (HubFile other : listing.values()) {
            String n = other.name();
            if (other.path().startsWith(dir) && other.path().indexOf('/', dir.length()) < 0
                    && (n.equals(f.name() + "_data") || n.startsWith(f.name() + "_data_"))) {
                data.add(n);
                size += other.size();
            }
        }
        int layers = config.path("num_hidden_layers").asInt(0);
        int heads = config.path("num_attention_heads").asInt(1);
        int kvHeads = config.path("num_key_value_heads").asInt(heads);
        int headDim = config.hasNonNull("head_dim") ? config.get("head_dim").asInt()
                : config.path("hidden_size").asInt(0) / Math.max(1, heads);
        long cache = 2L * layers * kvHeads * headDim * 2048L * (precision.halfPrecisionIo() ? 2 : 4);
        long half = precision == Precision.FP16 ? size : 0;
        long ram = size + size / 4 + 2 * half + cache + 64L * 1024 * 1024;
        return new ModelVariant(key, Path.of(f.path()), precision, data, List.of(), size, ram,
                List.of(precision.label() + " (from its file name; checked after download)"), true);
    }

    private VariantChoice choose(List<ModelVariant> variants, Request request) {
        if (request.variant() == null || request.variant().isBlank()) {
            return VariantChoice.choose(variants, hardware);
        }
        String want = request.variant().strip().toLowerCase(Locale.ROOT);
        for (ModelVariant v : variants) {
            if (v.key().equals(want) || v.fileName().toLowerCase(Locale.ROOT).equals(want)) {
                return new VariantChoice(v, v.key() + " was chosen.");
            }
        }
        List<ModelVariant> byPrecision = variants.stream().filter(v -> v.precision().label().equals(want)).toList();
        if (byPrecision.size() == 1) {
            return new VariantChoice(byPrecision.get(0), byPrecision.get(0).key() + " was chosen.");
        }
        throw new UserFacingException("The repository " + request.repo() + " has no variant '" + request.variant()
                + "'; it has: " + String.join(", ", variants.stream().map(ModelVariant::key).toList()) + ".");
    }

    // ----------------------------------------------------------------------------------------------- helpers

    @FunctionalInterface
    private interface Work<T> {
        T run() throws IOException, InterruptedException;
    }

    /** Runs {@code work}, turning refusals and network failures into one plain sentence. */
    private <T> T run(Request request, Work<T> work) {
        try {
            return work.run();
        } catch (HubClient.HostNotConsented e) {
            String message = e.redirected
                    ? "The hub sends this download from " + e.host + ", which no live consent for '"
                    + NetworkPurposes.PACK_FETCH + "' names, so nothing was sent there. Give a consent that names "
                    + e.host + " as well as " + request.host() + ", then fetch again: what arrived is kept."
                    : "Downloading from " + e.host + " needs your consent: a live consent for '"
                    + NetworkPurposes.PACK_FETCH + "' that names " + e.host + ". None does, so nothing was sent.";
            throw new ConsentNeeded(message, e.host, request.host());
        } catch (HubClient.HubStatusException e) {
            throw statusFailure(e, request, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("Download interrupted");
        } catch (IOException e) {
            throw new UserFacingException("Fetching " + request.repo() + " from " + request.host() + " failed ("
                    + reason(e) + "). What arrived is kept; fetching again resumes it.", e);
        } catch (UncheckedIOException e) {
            throw new UserFacingException("Fetching " + request.repo() + " failed (" + reason(e.getCause()) + ").", e);
        }
    }

    private static UserFacingException statusFailure(HubClient.HubStatusException e, Request request, String path) {
        String what = path == null ? request.repo() + "@" + request.revision() : path + " of " + request.repo();
        return switch (e.status) {
            case 401, 403 -> new UserFacingException("The hub refused " + what + " (it is private or gated, and this "
                    + "workstation downloads only public models without signing in).", e);
            case 404 -> new UserFacingException("The hub has no " + what + " (check the name and revision).", e);
            default -> new UserFacingException("The hub answered " + what + " with HTTP status " + e.status
                    + "; try again later.", e);
        };
    }

    private static String reason(Throwable e) {
        if (e instanceof ConnectException) {
            return "the host could not be reached";
        }
        if (e instanceof HttpTimeoutException) {
            return "it took too long";
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m.replaceAll("\\s+", " ").strip();
    }

    private HubClient client() {
        return new HubClient(workspace.network(), this::consentFor, TIMEOUT, idleTimeout);
    }

    /** The most recently given live consent for fetching packs that names {@code host}, or null. */
    private String consentFor(String host) {
        Instant now = clock.instant();
        return workspace.store().consent().all().stream()
                .filter(h -> h.activeAt(now) && h.terms().purposes().contains(NetworkPurposes.PACK_FETCH)
                        && NetworkPurposes.names(h.terms().sources(), host))
                .max(Comparator.comparing((ConsentHistory h) -> h.latest().time()))
                .map(ConsentHistory::recordId).orElse(null);
    }

    private static String base(Request request) {
        String s = request.hub().toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** {@code downloads/<owner>--<name>/<commit>}, private to the owner. */
    private Path folderFor(Request request, String commit) throws IOException {
        Path folder = downloads.resolve(request.repo().replace("/", "--")).resolve(commit);
        createPrivateDirectories(folder);
        return folder;
    }

    private void createPrivateDirectories(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            try {
                if (Files.getFileStore(p.getParent()).supportsFileAttributeView("posix")) {
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectory(p);
                }
            } catch (FileAlreadyExistsException e) {
                // made meanwhile
            }
        }
    }

    private static JsonNode readJson(Path file) {
        ObjectMapper json = new ObjectMapper();
        if (!Files.isRegularFile(file)) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserFacingException(file.getFileName() + " in the repository is not valid JSON.", e);
        }
    }

    /** Whether partial downloads of {@code request}'s repository are kept (for messages). */
    public Optional<Path> keptDownload(Request request) {
        Path folder = downloads.resolve(request.repo().replace("/", "--"));
        return Files.isDirectory(folder) ? Optional.of(folder) : Optional.empty();
    }
}
