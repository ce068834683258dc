package org.sovereign.packs.pack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsSigner;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The valid seed inputs of {@link PackInputsFuzzTest#manifest} and {@link PackInputsFuzzTest#omsBundle} (issue 15).
 * Both parsers refuse almost every mutation of nothing at their first check, so without a valid input the fuzzer never
 * gets past the JSON parse; these seeds are written by the real manifest codec and signer. They live in
 * {@code PackInputsFuzzTestInputs/manifest/} and {@code .../omsBundle/}, where the default test run replays them and
 * {@code docs/bench/fuzz.sh} starts from them.
 *
 * <p>Regenerate with {@code ./mvnw -o -pl model-packs test -Dtest=PackInputsFuzzSeedsTest -Dfuzz.seeds.write=true}
 * (signing keys are new each time). Without that property this test only checks that every committed seed is still
 * accepted, so a format change that outdates them fails here instead of silently lowering coverage.
 */
class PackInputsFuzzSeedsTest {

    private static final Path INPUTS = Path.of(System.getProperty("basedir", "."))
            .resolve("src/test/resources/org/sovereign/packs/pack/PackInputsFuzzTestInputs");

    @TempDir
    Path tmp;

    @Test
    void everyCommittedManifestSeedIsAValidManifest() throws IOException {
        if (Boolean.getBoolean("fuzz.seeds.write")) {
            write("manifest", manifests());
        }
        Map<String, byte[]> seeds = read("manifest");
        assertThat(seeds).containsKeys("text-generation", "embedding", "inline-template");
        seeds.forEach((name, bytes) -> assertThat(new ManifestCodec().parse(bytes).name()).as(name).isNotBlank());
    }

    @Test
    void everyCommittedBundleSeedIsSignedByTheKeyItCarriesOrNames() throws IOException {
        if (Boolean.getBoolean("fuzz.seeds.write")) {
            write("omsBundle", bundles());
        }
        Map<String, byte[]> seeds = read("omsBundle");
        assertThat(seeds).containsKeys("key-hint", "raw-key");
        OmsBundle carriesKey = OmsBundle.parse(seeds.get("raw-key"));
        TrustPolicy trustsIt = TrustPolicy.publishers(
                EcKeys.publicKeyFromDer(carriesKey.rawPublicKey().orElseThrow(), "the seed's key"));
        seeds.forEach((name, bytes) -> assertThat(trustsIt.evaluate(Map.of("model.sig", OmsBundle.parse(bytes)))
                .verdict()).as(name).isInstanceOf(Verdict.TrustedPublisher.class));
    }

    private static Map<String, byte[]> manifests() {
        ManifestCodec codec = new ManifestCodec();
        Map<String, byte[]> files = TestPacks.defaultFiles();
        PackManifest text = TestPacks.manifest("tiny", "1.0.0", files);
        PackManifest embedding = new PackManifest(1, "tiny-embed", "2.1.0+q8", PackKind.EMBEDDING, text.files(),
                new ModelSignature("bert", "model.onnx", List.of("input_ids", "attention_mask", "token_type_ids"),
                        List.of("last_hidden_state")), "tokenizer.json", null, null, 512,
                new HardwareNeeds(100_000_000L, List.of("CPUExecutionProvider")), text.licence(), text.provenance(),
                "A tiny embedding model.");
        PackManifest inline = new PackManifest(1, "tiny-chat", "1.0.0-rc.1", PackKind.TEXT_GENERATION, text.files(),
                text.model(), "tokenizer.json", new ChatTemplate(null,
                "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}"), text.generation(), 2048,
                text.hardware(), text.licence(), text.provenance(), null);
        Map<String, byte[]> out = new TreeMap<>();
        out.put("text-generation", codec.write(text));
        out.put("embedding", codec.write(embedding));
        out.put("inline-template", codec.write(inline));
        return out;
    }

    /** A pack folder signed as {@code pack sign} does, naming its key by hint, and the same signature carrying it. */
    private Map<String, byte[]> bundles() throws IOException {
        Path pack = TestPacks.write(tmp.resolve("tiny"), "tiny", "1.0.0");
        KeyPair key = EcKeys.generate();
        OmsBundle signed = new OmsSigner().sign(pack, "tiny", List.of(PackLayout.PRIMARY_SIGNATURE), key,
                ProgressListener.NONE, () -> false);
        Map<String, byte[]> out = new TreeMap<>();
        out.put("key-hint", signed.toJson());
        out.put("raw-key", new OmsBundle(null, key.getPublic().getEncoded(), signed.payload(), signed.signature())
                .toJson());
        return out;
    }

    private static Map<String, byte[]> read(String target) throws IOException {
        Map<String, byte[]> seeds = new TreeMap<>();
        try (Stream<Path> files = Files.list(INPUTS.resolve(target))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                seeds.put(f.getFileName().toString(), Files.readAllBytes(f));
            }
        }
        return seeds;
    }

    private static void write(String target, Map<String, byte[]> seeds) throws IOException {
        Files.createDirectories(INPUTS.resolve(target));
        for (Map.Entry<String, byte[]> e : seeds.entrySet()) {
            Files.write(INPUTS.resolve(target).resolve(e.getKey()), e.getValue());
        }
    }
}
