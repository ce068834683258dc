package org.sovereign.packs.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.DecoderOptions;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.OnnxDecoderModel;
import org.sovereign.packs.generation.TextGenerator;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.OperationCancelledException;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The importer on folders laid out as onnx-community publishes them (src/test/fixtures/hf-repos, made by
 * make_hf_repos.py): for each of the six architectures of issue 17 every variant imports, installs, generates Python
 * onnxruntime's greedy tokens and formats a chat as transformers does.
 */
class HfPackImporterTest {

    static final Path REPOS = Path.of("src", "test", "fixtures", "hf-repos").toAbsolutePath();
    /** Llama 3.2, Qwen2.5, Qwen3, Phi-3.5, Gemma 3 and SmolLM2 (a Llama configuration with SmolLM2's tokenizer). */
    static final List<String> ARCHITECTURES = List.of("llama", "qwen2", "qwen3", "phi3", "gemma3", "smollm2");
    /** A machine like this project's: 2 cores with AVX2, 24 GiB. */
    static final HardwareProfile AVX2_24G = new HardwareProfile(2, List.of("avx", "avx2", "fma"),
            24L << 30, 12L << 30);

    @TempDir
    Path tmp;

    private final HfPackImporter importer = new HfPackImporter("test", AVX2_24G);

    static Stream<Arguments> variants() {
        List<Arguments> all = new ArrayList<>();
        for (String arch : ARCHITECTURES) {
            for (JsonNode c : reference(arch).get("greedy")) {
                all.add(Arguments.of(arch, c.get("variant").asText()));
            }
        }
        return all.stream();
    }

    static JsonNode reference(String arch) {
        try {
            return new ObjectMapper().readTree(REPOS.resolve(arch).resolve("reference.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode referenceCase(String arch, String variant) {
        for (JsonNode c : reference(arch).get("greedy")) {
            if (c.get("variant").asText().equals(variant)) {
                return c;
            }
        }
        throw new IllegalArgumentException(arch + "/" + variant);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variants")
    void everyVariantImportsInstallsGeneratesThePythonGreedyTokensAndFormatsChatsAsTransformers(String arch,
            String variant) throws Exception {
        JsonNode expected = referenceCase(arch, variant);
        Path mpack = tmp.resolve(arch + "-" + variant + ".mpack");
        HfPackImporter.Result r = importer.importFolder(REPOS.resolve(arch), mpack,
                new HfPackImporter.Options(null, null, null, null, variant));

        assertThat(r.variant().key()).isEqualTo(variant);
        PackManifest m = r.manifest();
        assertThat(m.kind()).isEqualTo(PackKind.TEXT_GENERATION);
        assertThat(m.name()).isEqualTo(arch + "-" + variant);
        assertThat(m.model().modelFile()).isEqualTo(expected.get("file").asText().substring("onnx/".length()));
        assertThat(m.model().family()).isEqualTo(reference(arch).get("model_type").asText());
        List<String> packed = m.files().stream().map(f -> f.path()).toList();
        assertThat(packed).contains("tokenizer.json", "config.json", "generation_config.json",
                "tokenizer_config.json", "special_tokens_map.json", m.model().modelFile());
        if (!expected.get("external_data").isNull()) {
            assertThat(packed).contains(expected.get("external_data").asText());
        }

        InstallResult installed = new PackInstaller().install(mpack, tmp.resolve("packs"), TrustPolicy.none(), true,
                (d, t) -> { }, () -> false);
        Path dir = installed.pack().directory();
        try (OnnxDecoderModel model = OnnxDecoderModel.open(dir, dir.resolve(m.model().modelFile()),
                DecoderOptions.defaults());
             TextTokenizer tokenizer = TextTokenizer.load(dir)) {
            GenerationResult result = new TextGenerator(model, tokenizer).generate(
                    TinyLlamaFixture.longs(expected.get("input_ids")),
                    GenerationRequest.greedy(expected.get("max_new_tokens").asInt()), TokenListener.none(),
                    new CancellationSignal());
            assertThat(result.tokenIds()).as(arch + "/" + variant)
                    .containsExactly(TinyLlamaFixture.longs(expected.get("generated_ids")));

            JsonNode chat = reference(arch).get("chat");
            List<ChatMessage> messages = TinyLlamaFixture.list(chat.get("messages")).stream()
                    .map(c -> new ChatMessage(c.get("role").asText(), c.get("content").asText())).toList();
            String rendered = ChatTemplate.fromModelFolder(dir).render(messages, true);
            assertThat(rendered).as(arch + " chat").isEqualTo(chat.get("text").asText());
            assertThat(tokenizer.encode(rendered, false)).as(arch + " chat ids")
                    .containsExactly(TinyLlamaFixture.longs(chat.get("input_ids")));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("architectures")
    void theFloat32ExportReproducesTransformersOwnGreedyTokens(String arch) {
        JsonNode reference = reference(arch);
        assertThat(reference.get("transformers_generated_ids")).isNotEmpty();
        for (JsonNode c : reference.get("greedy")) {
            if (c.get("variant").asText().equals("fp32")) {
                assertThat(TinyLlamaFixture.longs(c.get("generated_ids"))).as(arch)
                        .containsExactly(TinyLlamaFixture.longs(reference.get("transformers_generated_ids")));
            }
        }
    }

    static Stream<String> architectures() {
        return ARCHITECTURES.stream();
    }

    @Test
    void variantsAreListedWithPrecisionExternalDataAndNeeds() {
        HfModelFolder llama = importer.inspect(REPOS.resolve("llama"));
        assertThat(llama.layout()).isEqualTo(HfModelFolder.Layout.REPOSITORY);
        assertThat(llama.root()).isEqualTo(REPOS.resolve("llama"));
        assertThat(llama.keys()).containsExactly("fp32", "fp16", "int8", "q4", "q4f16");
        assertThat(llama.variants()).extracting(ModelVariant::precision).containsExactly(Precision.FP32,
                Precision.FP16, Precision.INT8, Precision.Q4, Precision.Q4F16);
        ModelVariant q4f16 = VariantChoice.pick(llama, "q4f16");
        assertThat(q4f16.externalData()).containsExactly("weights-q4f16.bin");
        assertThat(q4f16.missingData()).isEmpty();
        assertThat(q4f16.sizeBytes()).isGreaterThan(sizeOf(q4f16.file()));
        assertThat(q4f16.needs()).anyMatch(n -> n.startsWith("MatMulNBits")).contains("float16 cache and logits");
        assertThat(VariantChoice.pick(llama, "int8").needs()).anyMatch(n -> n.startsWith("MatMulInteger"));
        assertThat(VariantChoice.pick(llama, "fp32").externalData()).isEmpty();
        assertThat(VariantChoice.pick(llama, "fp32").describe()).contains("fp32", "model.onnx", "needs about");

        HfModelFolder qwen2 = importer.inspect(REPOS.resolve("qwen2"));
        assertThat(VariantChoice.pick(qwen2, "quantized").precision()).isEqualTo(Precision.UINT8);
        assertThat(VariantChoice.pick(qwen2, "uint8").key()).isEqualTo("quantized");
        assertThat(VariantChoice.pick(qwen2, "fp32").externalData()).containsExactly("model.onnx_data");
        assertThat(VariantChoice.pick(qwen2, "model_q4.onnx").key()).isEqualTo("q4");
    }

    @Test
    void theDefaultIsTheBestFitForTheMachineAndSaysWhy() {
        List<ModelVariant> llama = importer.inspect(REPOS.resolve("llama")).variants();
        VariantChoice avx2 = VariantChoice.choose(llama, AVX2_24G);
        assertThat(avx2.variant().key()).isEqualTo("q4");
        assertThat(avx2.reason()).contains("q4", "AVX2", "24");

        VariantChoice plain = VariantChoice.choose(llama, new HardwareProfile(2, List.of("sse4_2"), 24L << 30, -1));
        assertThat(plain.variant().key()).isEqualTo("int8");
        assertThat(plain.reason()).contains("neither AVX2 nor NEON");

        long smallest = llama.stream().mapToLong(ModelVariant::ramEstimateBytes).min().orElseThrow();
        VariantChoice tiny = VariantChoice.choose(llama, new HardwareProfile(1, List.of("avx2"), smallest, -1));
        assertThat(tiny.variant().ramEstimateBytes()).isEqualTo(smallest);
        assertThat(tiny.reason()).contains("no variant fits");

        // No q4 in this folder: 8-bit comes before the float16 kinds.
        assertThat(VariantChoice.choose(importer.inspect(REPOS.resolve("qwen3")).variants(), AVX2_24G).variant().key())
                .isEqualTo("int8");
    }

    @Test
    void withoutAChoiceTheDefaultVariantIsImported() throws Exception {
        HfPackImporter.Result r = importer.importFolder(REPOS.resolve("llama"), tmp.resolve("d.mpack"),
                new HfPackImporter.Options(null, null, "Apache-2.0", null));
        assertThat(r.variant().key()).isEqualTo("q4");
        assertThat(r.choice()).contains("best fit");
        assertThat(r.manifest().provenance().source()).contains("variant q4", "onnx/model_q4.onnx");
    }

    @Test
    void theOnnxFolderItselfImportsWithTheSideFilesFromAbove() throws Exception {
        HfModelFolder folder = importer.inspect(REPOS.resolve("llama").resolve("onnx"));
        assertThat(folder.layout()).isEqualTo(HfModelFolder.Layout.ONNX_SUBFOLDER);
        assertThat(folder.root()).isEqualTo(REPOS.resolve("llama"));
        HfPackImporter.Result r = importer.importFolder(REPOS.resolve("llama").resolve("onnx"),
                tmp.resolve("o.mpack"), new HfPackImporter.Options("llama-from-onnx", null, null, null, "fp32"));
        assertThat(r.manifest().files()).extracting(f -> f.path()).contains("tokenizer.json", "config.json");
    }

    @Test
    void anOnnxFolderWithoutItsRepositorySaysWhereToPoint() throws Exception {
        Path onnx = Files.createDirectories(tmp.resolve("alone").resolve("onnx"));
        Files.copy(REPOS.resolve("llama/onnx/model.onnx"), onnx.resolve("model.onnx"));
        assertThatThrownBy(() -> importer.importFolder(onnx, tmp.resolve("x.mpack"),
                new HfPackImporter.Options(null, null, null, null)))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("has no tokenizer.json")
                .hasMessageContaining("point at the model's repository folder");
        assertThatThrownBy(() -> importer.inspect(tmp.resolve("alone").resolve("nothing")))
                .isInstanceOf(ImportException.class).hasMessageContaining("is not a folder");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> importer.inspect(empty))
                .isInstanceOf(ImportException.class).hasMessageContaining("has no ONNX model");
    }

    @Test
    void theFlatLayoutStillImports() throws Exception {
        HfModelFolder flat = importer.inspect(TinyLlamaFixture.DIR);
        assertThat(flat.layout()).isEqualTo(HfModelFolder.Layout.FLAT);
        assertThat(flat.keys()).containsExactly("fp32");
        HfPackImporter.Result r = importer.importFolder(TinyLlamaFixture.DIR, tmp.resolve("t.mpack"),
                new HfPackImporter.Options(null, null, null, null));
        assertThat(r.manifest().name()).isEqualTo("tiny-llama");
        assertThat(r.manifest().model().modelFile()).isEqualTo("model.onnx");
        assertThat(r.choice()).contains("only variant");
    }

    @Test
    void aMissingExternalDataFileIsRefusedAtImportWithItsName() throws Exception {
        Path repo = copy(REPOS.resolve("llama"), tmp.resolve("llama"));
        Files.delete(repo.resolve("onnx/weights-q4f16.bin"));
        Path out = tmp.resolve("m.mpack");
        assertThatThrownBy(() -> importer.importFolder(repo, out,
                new HfPackImporter.Options(null, null, null, null, "q4f16")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("'weights-q4f16.bin'")
                .hasMessageContaining("is missing");
        assertThat(out).doesNotExist();
        assertThat(VariantChoice.pick(importer.inspect(repo), "q4f16").missingData()).containsExactly("weights-q4f16.bin");
        // The other variants are not affected.
        importer.importFolder(repo, out, new HfPackImporter.Options(null, null, null, null, "q4"));
        assertThat(out).exists();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".import-"));
        }
    }

    @Test
    void aCorruptVariantIsListedAsUnreadableIsNeverTheDefaultAndIsRefusedByOnnxRuntime() throws Exception {
        Path repo = copy(REPOS.resolve("llama"), tmp.resolve("llama"));
        Path q4 = repo.resolve("onnx/model_q4.onnx");
        byte[] bytes = Files.readAllBytes(q4);
        Files.write(q4, Arrays.copyOf(bytes, bytes.length / 3));
        assertThatThrownBy(() -> OnnxGraphFacts.read(q4)).isInstanceOf(IOException.class)
                .hasMessageContaining("not a well-formed ONNX file");

        HfModelFolder folder = importer.inspect(repo);
        ModelVariant broken = VariantChoice.pick(folder, "q4");
        assertThat(broken.readable()).isFalse();
        assertThat(broken.needs()).singleElement().asString().startsWith("unreadable");
        assertThat(VariantChoice.choose(folder.variants(), AVX2_24G).variant().key()).isEqualTo("int8");
        // Break int8 and fp32 too, and take q4f16's external data away: fp16 is the one left to choose.
        for (String f : List.of("model_int8.onnx", "model.onnx")) {
            Files.write(repo.resolve("onnx").resolve(f), new byte[]{0x0a, 0x7f});
        }
        Files.delete(repo.resolve("onnx/weights-q4f16.bin"));
        VariantChoice left = VariantChoice.choose(importer.inspect(repo).variants(), AVX2_24G);
        assertThat(left.variant().key()).isEqualTo("fp16");
        assertThat(left.reason()).contains("only variant that is complete and readable");

        assertThatThrownBy(() -> importer.importFolder(repo, tmp.resolve("b.mpack"),
                new HfPackImporter.Options(null, null, null, null, "q4")))
                .isInstanceOf(ImportException.class)
                .hasMessage("ONNX Runtime cannot load model_q4.onnx; the file is corrupt, truncated or not an ONNX model.");
    }

    @Test
    void aTruncatedExternalDataFileIsRefused() throws Exception {
        Path repo = copy(REPOS.resolve("qwen2"), tmp.resolve("qwen2"));
        Path data = repo.resolve("onnx/model.onnx_data");
        byte[] bytes = Files.readAllBytes(data);
        Files.write(data, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> importer.importFolder(repo, tmp.resolve("t.mpack"),
                new HfPackImporter.Options(null, null, null, null, "fp32")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("'model.onnx_data'")
                .hasMessageContaining("shorter");
    }

    @Test
    void anUnknownVariantIsRefusedWithTheList() {
        assertThatThrownBy(() -> importer.importFolder(REPOS.resolve("llama"), tmp.resolve("u.mpack"),
                new HfPackImporter.Options(null, null, null, null, "q8")))
                .isInstanceOf(ImportException.class)
                .hasMessageContaining("no variant 'q8'")
                .hasMessageEndingWith("choose one of: fp32, fp16, int8, q4, q4f16.");
        assertThat(tmp.resolve("u.mpack")).doesNotExist();
    }

    @Test
    void progressReachesTheTotalAndCancelLeavesNothing() throws Exception {
        AtomicLong last = new AtomicLong();
        AtomicLong total = new AtomicLong();
        importer.importFolder(REPOS.resolve("qwen2"), tmp.resolve("p.mpack"),
                new HfPackImporter.Options(null, null, null, null, "fp32"), (d, t) -> {
                    assertThat(d).isGreaterThanOrEqualTo(last.get());
                    last.set(d);
                    total.set(t);
                }, () -> false);
        assertThat(total.get()).isPositive();
        assertThat(last.get()).isEqualTo(total.get());

        Path out = tmp.resolve("c.mpack");
        assertThatThrownBy(() -> importer.importFolder(REPOS.resolve("qwen2"), out,
                new HfPackImporter.Options(null, null, null, null, "fp32"), (d, t) -> { }, () -> true))
                .isInstanceOf(OperationCancelledException.class);
        assertThat(out).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".import-"));
        }
    }

    @Test
    void externalDataNamedOutsideTheFolderIsRefused() {
        assertThatThrownBy(() -> HfModelFolder.safeLocation(tmp, "../../etc/passwd", tmp.resolve("model.onnx")))
                .isInstanceOf(ImportException.class).hasMessageContaining("outside its folder");
        assertThatThrownBy(() -> HfModelFolder.safeLocation(tmp, "/etc/passwd", tmp.resolve("model.onnx")))
                .isInstanceOf(ImportException.class);
        assertThat(HfModelFolder.safeLocation(tmp, "weights/a.bin", tmp.resolve("model.onnx")))
                .isEqualTo(tmp.resolve("weights/a.bin"));
    }

    @Test
    void kindComesFromTheModelsInputsAndOutputs() {
        assertThat(HfPackImporter.kindOf(new HfPackImporter.Io(List.of("input_ids", "past_key_values.0.key"),
                List.of("logits", "present.0.key")))).hasToString("TEXT_GENERATION");
        assertThat(HfPackImporter.kindOf(new HfPackImporter.Io(List.of("input_ids", "attention_mask"),
                List.of("last_hidden_state")))).hasToString("EMBEDDING");
        assertThatThrownBy(() -> HfPackImporter.kindOf(new HfPackImporter.Io(List.of("pixel_values"), List.of("probs"))))
                .isInstanceOf(ImportException.class).hasMessageContaining("match neither");
        assertThat(HfPackImporter.nameFrom(Path.of("/models/Qwen2.5 0.5B Instruct"))).isEqualTo("qwen2.5-0.5b-instruct");
    }

    private static long sizeOf(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        return to;
    }
}
