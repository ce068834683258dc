package org.sovereign.packs.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face ONNX model folder as people download it, and the model variants in it.
 *
 * <p>Three layouts are understood: the onnx-community / Optimum repository ({@code config.json},
 * {@code tokenizer.json} ... at the root, the models in {@code onnx/}), the older flat folder with {@code model.onnx}
 * beside the tokenizer, and the {@code onnx/} folder of a repository itself (the tokenizer and configuration are
 * then read from the folder above it).
 *
 * @param root     where {@code tokenizer.json}, {@code config.json} and the other side files are
 * @param modelDir where the ONNX files are
 * @param layout   which of the layouts it is
 * @param variants the ONNX files found, in the order of {@link #ORDER}, then by name
 */
public record HfModelFolder(Path root, Path modelDir, Layout layout, List<ModelVariant> variants) {

    /** How the folder is laid out. */
    public enum Layout {
        /** onnx-community / Optimum: models in {@code onnx/}, side files at the root. */
        REPOSITORY,
        /** Everything in one folder. */
        FLAT,
        /** The person chose the {@code onnx/} folder of a repository; side files are one level up. */
        ONNX_SUBFOLDER
    }

    public static final String TOKENIZER = "tokenizer.json";
    private static final String ONNX_DIR = "onnx";
    /** Listing order of the usual variant keys. */
    static final List<String> ORDER = List.of("fp32", "fp16", "int8", "uint8", "quantized", "q4", "q4f16", "bnb4");

    public HfModelFolder {
        variants = List.copyOf(variants);
    }

    /**
     * Finds the layout and the variants of {@code folder}.
     *
     * @throws ImportException when the folder holds no ONNX model, no tokenizer, or a model that names external data
     *                         outside its folder
     */
    public static HfModelFolder scan(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new ImportException(folder + " is not a folder.");
        }
        Path root;
        Path modelDir;
        Layout layout;
        Path sub = folder.resolve(ONNX_DIR);
        if (Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS) && !onnxFiles(sub).isEmpty()) {
            root = folder;
            modelDir = sub;
            layout = Layout.REPOSITORY;
        } else if (!onnxFiles(folder).isEmpty()) {
            Path parent = folder.toAbsolutePath().normalize().getParent();
            if (!isFile(folder.resolve(TOKENIZER)) && parent != null && isFile(parent.resolve(TOKENIZER))) {
                root = parent;
                layout = Layout.ONNX_SUBFOLDER;
            } else {
                root = folder;
                layout = Layout.FLAT;
            }
            modelDir = folder;
        } else {
            throw new ImportException("The folder " + folder + " has no ONNX model (neither onnx/model*.onnx nor "
                    + "model.onnx); point at the model's repository folder, the one holding config.json and onnx/.");
        }
        if (!isFile(root.resolve(TOKENIZER))) {
            throw new ImportException("The folder " + root + " has no " + TOKENIZER + " (the Hugging Face tokenizer)"
                    + (layout == Layout.FLAT && folder.getFileName() != null
                    && folder.getFileName().toString().equals(ONNX_DIR)
                    ? "; point at the model's repository folder (the one above onnx/), where the tokenizer and "
                    + "config.json are." : "; it cannot be imported."));
        }
        List<Path> files = onnxFiles(modelDir);
        refuseSplitGraphs(modelDir, files);
        JsonNode config = readConfig(root);
        List<ModelVariant> variants = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Path file : files) {
            ModelVariant v = inspect(file, config, keys);
            keys.add(v.key());
            variants.add(v);
        }
        variants.sort(Comparator.comparingInt((ModelVariant v) -> ORDER.contains(v.key()) ? ORDER.indexOf(v.key())
                : ORDER.size()).thenComparing(ModelVariant::key));
        return new HfModelFolder(root, modelDir, layout, variants);
    }

    /**
     * File-name starts of the extra graphs that encoder-decoder and multimodal exports have beside their decoder
     * ({@code decoder_model_merged.onnx} alone is an older export of a decoder-only model, and is not refused here).
     */
    private static final List<String> SPLIT_GRAPHS = List.of("encoder_model", "vision_encoder", "embed_tokens",
            "audio_encoder", "speech_encoder", "text_encoder");

    /**
     * Refuses a model exported as several cooperating graphs (T5, Whisper, vision-language models: encoder_model.onnx
     * or vision_encoder.onnx beside decoder_model_merged.onnx, ...): the workstation runs decoder-only models in one
     * graph.
     */
    private static void refuseSplitGraphs(Path modelDir, List<Path> files) {
        boolean named = files.stream().anyMatch(p -> {
            String n = p.getFileName().toString();
            return n.equals("model.onnx") || n.startsWith("model_");
        });
        List<String> names = files.stream().map(p -> p.getFileName().toString()).toList();
        if (!named && names.stream().anyMatch(n -> SPLIT_GRAPHS.stream().anyMatch(n::startsWith))) {
            throw new ImportException("The folder " + modelDir + " holds a model split into several parts ("
                    + String.join(", ", names.subList(0, Math.min(3, names.size()))) + "), as encoder-decoder and "
                    + "image or audio models are exported; this workstation runs decoder-only chat models exported "
                    + "as one graph (onnx/model.onnx and its variants), so it cannot be imported.");
        }
    }

    /** The variant keys, in listing order. */
    public List<String> keys() {
        return variants.stream().map(ModelVariant::key).toList();
    }

    /** Reads the facts of one ONNX file. */
    static ModelVariant inspect(Path file, JsonNode config, Set<String> takenKeys) {
        String name = file.getFileName().toString();
        String stem = name.substring(0, name.length() - ".onnx".length());
        OnnxGraphFacts facts;
        Precision precision;
        String unreadable = null;
        try {
            facts = OnnxGraphFacts.read(file);
            precision = precisionOf(facts);
        } catch (IOException e) {
            // Listed all the same (by its name), so that other variants stay usable; importing it lets ONNX Runtime
            // say what is wrong.
            facts = new OnnxGraphFacts(Map.of(), Set.of(), Map.of(), Map.of(), Map.of());
            precision = precisionFromName(stem);
            unreadable = "unreadable (" + oneLine(e.getMessage()) + ")";
        }
        String key;
        if (stem.equals("model")) {
            key = precision == Precision.FP32 || takenKeys.contains(precision.label()) ? "fp32" : precision.label();
        } else if (stem.startsWith("model_")) {
            key = stem.substring("model_".length()).toLowerCase(Locale.ROOT);
        } else {
            key = stem.toLowerCase(Locale.ROOT);
        }
        Path dir = file.getParent();
        List<String> external = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        long size = sizeOf(file);
        for (var e : facts.externalData().entrySet()) {
            String location = e.getKey();
            Path data = safeLocation(dir, location, file);
            external.add(location);
            if (!isFile(data) || sizeOf(data) < e.getValue()) {
                missing.add(location);
            } else {
                size += sizeOf(data);
            }
        }
        List<String> needs = unreadable != null ? List.of(unreadable) : needs(facts, precision);
        return new ModelVariant(key, file, precision, external, missing, size,
                ramEstimate(size, facts, precision, config), needs, unreadable == null);
    }

    /** The onnx-community naming: model_fp16, model_int8, model_uint8, model_quantized (uint8), model_q4, ... */
    static Precision precisionFromName(String stem) {
        return switch (stem.startsWith("model_") ? stem.substring("model_".length()) : "") {
            case "fp16" -> Precision.FP16;
            case "int8" -> Precision.INT8;
            case "uint8", "quantized" -> Precision.UINT8;
            case "q4" -> Precision.Q4;
            case "q4f16" -> Precision.Q4F16;
            case "bnb4" -> Precision.BNB4;
            default -> Precision.FP32;
        };
    }

    /** The file an external-data location names, refusing any that would leave the model's folder. */
    static Path safeLocation(Path dir, String location, Path model) {
        Path rel = Path.of(location).normalize();
        if (location.isBlank() || rel.isAbsolute() || rel.startsWith("..") || location.contains("\\")
                || location.contains(":")) {
            throw new ImportException(model.getFileName() + " names external data outside its folder ('" + location
                    + "'); it cannot be imported.");
        }
        return dir.resolve(rel);
    }

    /** The precision the graph itself shows: quantization operators, then the logits' and weights' types. */
    static Precision precisionOf(OnnxGraphFacts facts) {
        boolean halfIo = facts.outputTypes().getOrDefault("logits", 0) == OnnxGraphFacts.FLOAT16;
        if (facts.operators().contains("MatMulBnb4")) {
            return Precision.BNB4;
        }
        if (facts.operators().contains("MatMulNBits")) {
            return halfIo ? Precision.Q4F16 : Precision.Q4;
        }
        if (facts.operators().contains("MatMulInteger") || facts.operators().contains("DynamicQuantizeMatMul")
                || facts.operators().contains("QLinearMatMul")) {
            long int8 = facts.weightBytes().getOrDefault(OnnxGraphFacts.INT8, 0L);
            long uint8 = facts.weightBytes().getOrDefault(OnnxGraphFacts.UINT8, 0L);
            return int8 >= uint8 ? Precision.INT8 : Precision.UINT8;
        }
        long half = facts.weightBytes().getOrDefault(OnnxGraphFacts.FLOAT16, 0L);
        long full = facts.weightBytes().getOrDefault(OnnxGraphFacts.FLOAT, 0L);
        return halfIo || half > full ? Precision.FP16 : Precision.FP32;
    }

    private static List<String> needs(OnnxGraphFacts facts, Precision precision) {
        List<String> needs = new ArrayList<>();
        switch (precision) {
            case Q4, Q4F16 -> needs.add("MatMulNBits (4-bit weights; fastest with AVX2/AVX-512 or NEON)");
            case BNB4 -> needs.add("MatMulBnb4 (4-bit NF4/FP4 weights)");
            case INT8, UINT8 -> needs.add("MatMulInteger (8-bit weights, activations quantized at run time)");
            case FP32 -> needs.add("float32 weights (not quantized)");
            case FP16 -> { }
        }
        if (precision.halfPrecisionIo()) {
            needs.add("float16 cache and logits");
        }
        if (facts.hasHalfPrecisionWeights()) {
            needs.add("float16 weights (ONNX Runtime widens them to float32 where the CPU lacks float16 kernels)");
        }
        for (String op : OnnxGraphFacts.notableOperators(facts.operators())) {
            if (needs.stream().noneMatch(n -> n.startsWith(op))) {
                needs.add(op);
            }
        }
        return needs;
    }

    /**
     * File bytes and a quarter more (ONNX Runtime's arena and pre-packed weights), twice the float16 weights (which
     * may be widened to float32), a 2048-token key/value cache and 64 MiB for the runtime.
     */
    private static long ramEstimate(long size, OnnxGraphFacts facts, Precision precision, JsonNode config) {
        long half = facts.weightBytes().getOrDefault(OnnxGraphFacts.FLOAT16, 0L);
        int layers = config.path("num_hidden_layers").asInt(0);
        int heads = config.path("num_attention_heads").asInt(1);
        int kvHeads = config.path("num_key_value_heads").asInt(heads);
        int headDim = config.hasNonNull("head_dim") ? config.get("head_dim").asInt()
                : config.path("hidden_size").asInt(0) / Math.max(1, heads);
        long cache = 2L * layers * kvHeads * headDim * 2048L * (precision.halfPrecisionIo() ? 2 : 4);
        return size + size / 4 + 2 * half + cache + 64L * 1024 * 1024;
    }

    private static JsonNode readConfig(Path root) {
        Path file = root.resolve("config.json");
        if (!isFile(file)) {
            return new ObjectMapper().createObjectNode();
        }
        try {
            return new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ImportException("config.json in " + root + " is not valid JSON.", e);
        }
    }

    /** The {@code model.onnx} / {@code model_*.onnx} files of a folder, or every {@code .onnx} file if none is so named. */
    static List<Path> onnxFiles(Path dir) {
        List<Path> all = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.onnx")) {
            for (Path p : files) {
                if (isFile(p)) {
                    all.add(p);
                }
            }
        } catch (IOException e) {
            throw new ImportException("The folder " + dir + " cannot be read.", e);
        }
        List<Path> named = all.stream().filter(p -> {
            String n = p.getFileName().toString();
            return n.equals("model.onnx") || n.startsWith("model_");
        }).toList();
        List<Path> chosen = new ArrayList<>(named.isEmpty() ? all : named);
        chosen.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return chosen;
    }

    static boolean isFile(Path p) {
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
