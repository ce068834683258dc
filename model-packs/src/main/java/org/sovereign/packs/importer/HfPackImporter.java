package org.sovereign.packs.importer;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.app.UserFacingException;
import org.sovereign.packs.embedding.EmbeddingOptions;
import org.sovereign.packs.embedding.OnnxEmbeddingModel;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.pack.ChatTemplate;
import org.sovereign.packs.pack.GenerationDefaults;
import org.sovereign.packs.pack.HardwareNeeds;
import org.sovereign.packs.pack.Licence;
import org.sovereign.packs.pack.ModelSignature;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.Provenance;
import org.sovereign.packs.runtime.OrtEnvironments;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a Hugging Face ONNX model folder into a {@code .mpack}: checks the model with ONNX Runtime, decides the
 * kind from its inputs and outputs, writes the manifest and the STORED archive (atomically; nothing is left
 * behind on failure).
 */
final class HfPackImporter {

    static final String MODEL = "model.onnx";
    static final String MODEL_DATA = "model.onnx_data";
    static final String TOKENIZER = "tokenizer.json";
    private static final List<String> OPTIONAL = List.of(MODEL_DATA, "config.json", "generation_config.json",
            "tokenizer_config.json", "special_tokens_map.json", "chat_template.jinja");
    private static final List<String> LICENCE_FILES = List.of("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE",
            "LICENCE.txt", "LICENCE.md");
    private static final String GENERATED_LICENCE = "LICENCE.txt";

    private final ObjectMapper json = new ObjectMapper();

    /** What the person chose on the command line; nulls mean "derive from the folder". */
    record Options(String name, String version, String licence, String source) {
    }

    PackManifest importFolder(Path folder, Path out, Options options) throws IOException {
        if (!Files.isDirectory(folder)) {
            throw new UserFacingException(folder + " is not a folder.");
        }
        require(folder, MODEL, "the ONNX model");
        require(folder, TOKENIZER, "the Hugging Face tokenizer");
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException(out + " already exists; choose another file name.");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new UserFacingException("The folder for " + out + " does not exist.");
        }
        Io io = inspect(folder.resolve(MODEL));
        PackKind kind = kindOf(io);
        checkLoads(folder, kind);
        JsonNode config = readJson(folder.resolve("config.json"));
        JsonNode tokenizerConfig = readJson(folder.resolve("tokenizer_config.json"));

        Path work = Files.createTempDirectory(parent, ".import-");
        try {
            for (String f : concat(List.of(MODEL, TOKENIZER), OPTIONAL)) {
                if (Files.isRegularFile(folder.resolve(f), LinkOption.NOFOLLOW_LINKS)) {
                    Files.copy(folder.resolve(f), work.resolve(f));
                }
            }
            String licenceFile = copyLicence(folder, work, options.licence());
            String modelCard = Files.isRegularFile(folder.resolve("README.md"))
                    ? Files.readString(folder.resolve("README.md")) : null;
            PackManifest manifest = PackFolders.writeManifest(work, new PackManifest(PackManifest.FORMAT_VERSION,
                    options.name() != null ? options.name() : nameFrom(folder),
                    options.version() != null ? options.version() : "1.0",
                    kind, List.of(),
                    new ModelSignature(family(config, kind), MODEL, io.inputs(), io.outputs()),
                    TOKENIZER,
                    kind == PackKind.TEXT_GENERATION ? chatTemplate(folder, tokenizerConfig) : null,
                    kind == PackKind.TEXT_GENERATION ? generation(readJson(folder.resolve("generation_config.json"))) : null,
                    contextLength(config, tokenizerConfig),
                    new HardwareNeeds(ramEstimate(folder), List.of("CPUExecutionProvider")),
                    new Licence(options.licence() != null ? options.licence() : "NOASSERTION", licenceFile),
                    new Provenance(options.source() != null ? options.source()
                            : "Imported from the local folder '" + folder.getFileName() + "'",
                            config.path("_name_or_path").asText(null), "sovereign pack import",
                            org.sovereign.app.Version.current(), null),
                    modelCard));
            new MpackWriter().write(work, out);
            PackFolders.makeShareable(out);
            return manifest;
        } finally {
            PackFolders.deleteQuietly(work);
        }
    }

    /** The model's input and output names, in order. */
    record Io(List<String> inputs, List<String> outputs) {
    }

    private static Io inspect(Path model) {
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironments.get().createSession(model.toString(), so)) {
            return new Io(new ArrayList<>(session.getInputNames()), new ArrayList<>(session.getOutputNames()));
        } catch (OrtException e) {
            throw new UserFacingException("ONNX Runtime cannot load " + model.getFileName()
                    + "; the file is corrupt, truncated or not an ONNX model.", e);
        }
    }

    static PackKind kindOf(Io io) {
        boolean decoder = io.inputs().stream().anyMatch(n -> n.startsWith("past_key_values"))
                || io.outputs().contains("logits");
        boolean encoder = io.outputs().contains("last_hidden_state");
        if (decoder && !encoder) {
            return PackKind.TEXT_GENERATION;
        }
        if (encoder && !decoder) {
            return PackKind.EMBEDDING;
        }
        throw new UserFacingException("The model's inputs " + io.inputs() + " and outputs " + io.outputs()
                + " match neither a text-generation model (logits, past_key_values) nor an embedding model (last_hidden_state).");
    }

    /** Opens the model the way the workstation will, so a mismatch between IO and configuration is refused now. */
    private static void checkLoads(Path folder, PackKind kind) {
        try {
            if (kind == PackKind.TEXT_GENERATION) {
                try (TextTokenizer ignored = TextTokenizer.load(folder.resolve(TOKENIZER));
                     OnnxDecoderModel ignored2 = OnnxDecoderModel.open(folder)) {
                    // opened and checked
                }
            } else {
                try (OnnxEmbeddingModel ignored = OnnxEmbeddingModel.open(folder.resolve(MODEL),
                        folder.resolve(TOKENIZER), EmbeddingOptions.defaults())) {
                    // opened and checked
                }
            }
        } catch (RuntimeException e) {
            throw new UserFacingException("The model does not fit its kind (" + kind.name().toLowerCase(Locale.ROOT)
                    .replace('_', '-') + "): " + PackFailures.oneLine(e.getMessage()), e);
        }
    }

    private static void require(Path folder, String file, String what) {
        if (!Files.isRegularFile(folder.resolve(file), LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The folder " + folder + " has no " + file + " (" + what + "); it cannot be imported.");
        }
    }

    private JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(file.toFile());
        } catch (IOException e) {
            throw new UserFacingException(file.getFileName() + " is not valid JSON.", e);
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

    private static long ramEstimate(Path folder) throws IOException {
        long bytes = Files.size(folder.resolve(MODEL));
        if (Files.isRegularFile(folder.resolve(MODEL_DATA))) {
            bytes += Files.size(folder.resolve(MODEL_DATA));
        }
        return 2 * bytes + 64L * 1024 * 1024;
    }

    static String nameFrom(Path folder) {
        String n = String.valueOf(folder.toAbsolutePath().normalize().getFileName()).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[^a-z0-9]+", "");
        if (n.isEmpty()) {
            n = "imported-model";
        }
        return n.length() > 64 ? n.substring(0, 64) : n;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
