package org.sovereign.packs.importer;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.packs.embedding.EmbeddingException;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.pack.ChatTemplate;
import org.sovereign.packs.pack.FileTrees;
import org.sovereign.packs.pack.GenerationDefaults;
import org.sovereign.packs.pack.HardwareNeeds;
import org.sovereign.packs.pack.Licence;
import org.sovereign.packs.pack.ManifestCodec;
import org.sovereign.packs.pack.ModelSignature;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackFile;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.Provenance;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.runtime.ModelLoadException;
import org.sovereign.packs.runtime.OrtEnvironments;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.packs.tokenizer.TextTokenizer;
import org.sovereign.packs.tokenizer.TokenizerLoadException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Turns a Hugging Face ONNX model folder into a {@code .mpack}: finds the layout and the variants
 * ({@link HfModelFolder}), takes the one asked for or the best fit for this machine ({@link VariantChoice}), carries
 * its external-data files, checks the model with ONNX Runtime as the workstation will run it, decides the kind from its
 * inputs and outputs, writes the manifest and the STORED archive (atomically; nothing is left behind on failure).
 *
 * <p>Failures are {@link ImportException}s (one plain sentence); a raised cancel flag ends the import with
 * {@link org.sovereign.packs.signing.OperationCancelledException}. Blocks on file I/O and model loading.
 */
public final class HfPackImporter {

    private static final List<String> SIDE_FILES = List.of("config.json", "generation_config.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja");
    private static final List<String> LICENCE_FILES = List.of("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
            "LICENCE.txt", "LICENCE.md");
    private static final String GENERATED_LICENCE = "LICENCE.txt";
    private static final String TOKENIZER = HfModelFolder.TOKENIZER;

    private final ObjectMapper json = new ObjectMapper();
    private final String toolVersion;
    private final HardwareProfile hardware;

    /**
     * What the person chose; nulls mean "derive from the folder".
     *
     * @param variant a variant key ({@code q4}, {@code int8}, {@code fp32}, ...), precision or file name; null for the
     *                best fit for this machine
     */
    public record Options(String name, String version, String licence, String source, String variant) {
        public Options(String name, String version, String licence, String source) {
            this(name, version, licence, source, null);
        }
    }

    /**
     * What was written.
     *
     * @param manifest the pack's manifest
     * @param variant  the variant it holds
     * @param choice   why that variant: the default rule's one-line reason, or that the person chose it
     */
    public record Result(PackManifest manifest, ModelVariant variant, String choice) {
    }

    /** @param toolVersion this build's version, recorded in the pack's provenance */
    public HfPackImporter(String toolVersion) {
        this(toolVersion, HardwareProfile.detect());
    }

    /** With the machine facts the default variant choice is made for. */
    public HfPackImporter(String toolVersion, HardwareProfile hardware) {
        this.toolVersion = toolVersion;
        this.hardware = hardware;
    }

    /** The folder's layout and variants, without importing anything. */
    public HfModelFolder inspect(Path folder) {
        return HfModelFolder.scan(folder);
    }

    /** The variant {@code requested} names, or (when null) the best fit for this machine, with the reason. */
    public VariantChoice choose(HfModelFolder folder, String requested) {
        if (requested != null && !requested.isBlank()) {
            ModelVariant v = VariantChoice.pick(folder, requested);
            return new VariantChoice(v, v.key() + " was chosen with --variant.");
        }
        return VariantChoice.choose(folder.variants(), hardware);
    }

    /** As {@link #importFolder(Path, Path, Options, ProgressListener, BooleanSupplier)} without progress or cancel. */
    public Result importFolder(Path folder, Path out, Options options) throws IOException {
        return importFolder(folder, out, options, ProgressListener.NONE, () -> false);
    }

    /**
     * Imports {@code folder} into the new archive {@code out}.
     *
     * @param progress bytes copied, hashed and archived, of three times the variant's and side files' size
     * @param cancel   polled between buffers
     */
    public Result importFolder(Path folder, Path out, Options options, ProgressListener progress,
                               BooleanSupplier cancel) throws IOException {
        HfModelFolder hf = HfModelFolder.scan(folder);
        VariantChoice choice = choose(hf, options.variant());
        ModelVariant variant = choice.variant();
        requireData(variant);
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new ImportException(out + " already exists; choose another file name.");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new ImportException("The folder for " + out + " does not exist.");
        }
        Path root = hf.root();
        JsonNode config = readJson(root.resolve("config.json"));
        JsonNode tokenizerConfig = readJson(root.resolve("tokenizer_config.json"));

        Map<String, Path> files = new LinkedHashMap<>();
        files.put(variant.fileName(), variant.file());
        for (String location : variant.externalData()) {
            files.put(Path.of(location).normalize().toString().replace('\\', '/'),
                    HfModelFolder.safeLocation(variant.file().getParent(), location, variant.file()));
        }
        files.put(TOKENIZER, root.resolve(TOKENIZER));
        for (String f : SIDE_FILES) {
            if (HfModelFolder.isFile(root.resolve(f)) && !files.containsKey(f)) {
                files.put(f, root.resolve(f));
            }
        }
        long bytes = 0;
        for (Path p : files.values()) {
            bytes += Files.size(p);
        }
        long grand = 3 * bytes;
        Path work = Files.createTempDirectory(parent, ".import-");
        try {
            StreamingHasher copier = new StreamingHasher(grand, progress, cancel);
            for (Map.Entry<String, Path> f : files.entrySet()) {
                Path target = work.resolve(f.getKey());
                Files.createDirectories(target.getParent());
                try (InputStream in = Files.newInputStream(f.getValue(), LinkOption.NOFOLLOW_LINKS);
                     OutputStream o = Files.newOutputStream(target)) {
                    copier.copy(in, o, Long.MAX_VALUE - 1);
                }
            }
            Path model = work.resolve(variant.fileName());
            Io io = namesOf(model);
            PackKind kind = kindOf(io);
            checkLoads(work, model, kind);
            String licenceFile = copyLicence(root, work, options.licence());
            String modelCard = HfModelFolder.isFile(root.resolve("README.md"))
                    ? Files.readString(root.resolve("README.md")) : null;
            String defaultName = nameFrom(root) + (hf.variants().size() > 1 ? "-" + variant.key() : "");
            PackManifest manifest = writeManifest(work, new PackManifest(PackManifest.FORMAT_VERSION,
                    options.name() != null ? options.name() : nameFrom(Path.of(defaultName)),
                    options.version() != null ? options.version() : "1.0",
                    kind, List.of(),
                    new ModelSignature(family(config, kind), variant.fileName(), io.inputs(), io.outputs()),
                    TOKENIZER,
                    kind == PackKind.TEXT_GENERATION ? chatTemplate(root, tokenizerConfig) : null,
                    kind == PackKind.TEXT_GENERATION ? generation(readJson(root.resolve("generation_config.json"))) : null,
                    contextLength(config, tokenizerConfig),
                    new HardwareNeeds(variant.ramEstimateBytes(), List.of("CPUExecutionProvider")),
                    new Licence(options.licence() != null ? options.licence() : "NOASSERTION", licenceFile),
                    new Provenance(options.source() != null ? options.source()
                            : "Imported from the local folder '" + root.getFileName() + "' (variant " + variant.key()
                            + ", " + root.relativize(variant.file()).toString().replace('\\', '/') + ")",
                            config.path("_name_or_path").asText(null), "sovereign pack import", toolVersion, null),
                    modelCard), copier);
            long base = copier.bytesDone();
            new MpackWriter().write(work, out,
                    (done, total) -> progress.onProgress(Math.min(grand, base + done), grand), cancel);
            makeShareable(out);
            progress.onProgress(grand, grand);
            return new Result(manifest, variant, choice.reason());
        } finally {
            FileTrees.deleteQuietly(work);
        }
    }

    /** Refuses a variant whose external-data files are absent or cut short, naming the first such file. */
    private static void requireData(ModelVariant variant) {
        if (variant.missingData().isEmpty()) {
            return;
        }
        String location = variant.missingData().get(0);
        Path data = variant.file().getParent().resolve(location);
        String what = HfModelFolder.isFile(data)
                ? "is shorter than the model's tensors need (an unfinished download?)"
                : "is missing from " + variant.file().getParent();
        throw new ImportException("The variant " + variant.key() + " (" + variant.fileName() + ") keeps its weights in '"
                + location + "', which " + what + "; it cannot be imported.");
    }

    /** The model's input and output names, in order. */
    public record Io(List<String> inputs, List<String> outputs) {
    }

    private static Io namesOf(Path model) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironments.get().createSession(model.toString(), so)) {
            return new Io(new ArrayList<>(session.getInputNames()), new ArrayList<>(session.getOutputNames()));
        } catch (OrtException e) {
            throw new ImportException("ONNX Runtime cannot load " + model.getFileName()
                    + "; the file is corrupt, truncated or not an ONNX model.", e);
        }
    }

    /** Text generation (logits, past_key_values) or embedding (last_hidden_state), from the model's names. */
    public static PackKind kindOf(Io io) {
        boolean decoder = io.inputs().stream().anyMatch(n -> n.startsWith("past_key_values"))
                || io.outputs().contains("logits");
        boolean encoder = io.outputs().contains("last_hidden_state");
        if (decoder && !encoder) {
            return PackKind.TEXT_GENERATION;
        }
        if (encoder && !decoder) {
            return PackKind.EMBEDDING;
        }
        throw new ImportException("The model's inputs " + io.inputs() + " and outputs " + io.outputs()
                + " match neither a text-generation model (logits, past_key_values) nor an embedding model (last_hidden_state).");
    }

    /** Opens the model the way the workstation will, so a mismatch between IO and configuration is refused now. */
    private static void checkLoads(Path work, Path model, PackKind kind) {
        try {
            if (kind == PackKind.TEXT_GENERATION) {
                try (TextTokenizer ignored = TextTokenizer.load(work.resolve(TOKENIZER));
                     OnnxDecoderModel ignored2 = OnnxDecoderModel.open(work, model, DecoderOptions.defaults())) {
                    // opened and checked
                }
            } else {
                try (OnnxEmbeddingModel ignored = OnnxEmbeddingModel.open(model, work.resolve(TOKENIZER),
                        EmbeddingOptions.defaults())) {
                    // opened and checked
                }
            }
        } catch (ModelLoadException | TokenizerLoadException | EmbeddingException e) {
            throw new ImportException("The model does not fit its kind (" + kind.name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + "): " + HfModelFolder.oneLine(e.getMessage()), e);
        }
    }

    private JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new ImportException(file.getFileName() + " is not valid JSON.", e);
        }
    }

    /** Lists every file of {@code dir} with size and SHA-256 (progress through {@code hasher}), writes manifest.json. */
    private static PackManifest writeManifest(Path dir, PackManifest m, StreamingHasher hasher) throws IOException {
        List<PackFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(PackLayout.MANIFEST)) {
                    files.add(new PackFile(rel, Files.size(p), hasher.sha256(p)));
                }
            }
        }
        PackManifest full = new PackManifest(m.formatVersion(), m.name(), m.version(), m.kind(), files, m.model(),
                m.tokenizer(), m.chatTemplate(), m.generation(), m.contextLength(), m.hardware(), m.licence(),
                m.provenance(), m.modelCard());
        Files.write(dir.resolve(PackLayout.MANIFEST), new ManifestCodec().write(full));
        return full;
    }

    /** Makes a written archive readable by others (rw-r--r--) where the file system is POSIX. */
    private static void makeShareable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    private static String copyLicence(Path folder, Path work, String spdx) throws IOException {
        for (String f : LICENCE_FILES) {
            if (Files.isRegularFile(folder.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(folder.resolve(f), work.resolve(f));
                return f;
            }
        }
        Files.writeString(work.resolve(GENERATED_LICENCE), "Licence: " + (spdx != null ? spdx : "NOASSERTION")
                + "\nThe model folder came without a licence file; check the model's licence before you share this pack.\n");
        return GENERATED_LICENCE;
    }

    private static String family(JsonNode config, PackKind kind) {
        String type = config.path("model_type").asText("");
        return !type.isBlank() ? type : kind == PackKind.EMBEDDING ? "bert" : "unknown";
    }

    private static ChatTemplate chatTemplate(Path folder, JsonNode tokenizerConfig) {
        if (Files.isRegularFile(folder.resolve("chat_template.jinja"))) {
            return new ChatTemplate("chat_template.jinja", null);
        }
        JsonNode t = tokenizerConfig.get("chat_template");
        return t != null && t.isTextual() ? new ChatTemplate(null, t.asText()) : null;
    }

    private static GenerationDefaults generation(JsonNode g) {
        boolean sample = g.path("do_sample").asBoolean(false);
        double temperature = sample ? g.path("temperature").asDouble(1.0) : 0.0;
        double topP = g.path("top_p").asDouble(1.0);
        int max = g.path("max_new_tokens").asInt(256);
        return new GenerationDefaults(max > 0 ? max : 256, Math.min(10, Math.max(0, temperature)),
                topP > 0 && topP <= 1 ? topP : 1.0, List.of());
    }

    private static int contextLength(JsonNode config, JsonNode tokenizerConfig) {
        int positions = config.path("max_position_embeddings").asInt(0);
        if (positions > 0) {
            return positions;
        }
        long max = tokenizerConfig.path("model_max_length").asLong(0);
        return max > 0 && max < 1_000_000 ? (int) max : 512;
    }

    /** A pack name from a folder name: lower case, runs of other characters as '-', at most 64 characters. */
    public static String nameFrom(Path folder) {
        String n = String.valueOf(folder.toAbsolutePath().normalize().getFileName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        if (n.isEmpty()) {
            n = "imported-model";
        }
        return n.length() > 64 ? n.substring(0, 64) : n;
    }
}
