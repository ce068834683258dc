package org.sovereign.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** The pack, generate and embed commands on the real tiny-Llama fixture and the bundled MiniLM pack. */
class PackCommandsTest {


    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private CliRun cli;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
    }


    private void initVault() {
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
    }

    private Path importTinyLlama() {
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", "tiny-llama",
                "--licence", "Apache-2.0")).as(cli.err()).isZero();
        return mpack;
    }

    private Path keygen() {
        Path key = tmp.resolve("publisher.key");
        assertThat(cli.run("pack", "keygen", "--out", key.toString())).as(cli.err()).isZero();
        return key;
    }

    @Test
    void importSignVerifyInstallListGenerateRemove() throws Exception {
        Path key = keygen();
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(tmp.resolve("publisher.key.pub")).exists();
        String keyFile = Files.readString(key);
        assertThat(cli.run("pack", "keygen", "--out", key.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).endsWith("already exists; key files are never overwritten.");
        assertThat(Files.readString(key)).isEqualTo(keyFile);

        Path mpack = importTinyLlama();
        assertThat(cli.out()).contains("tiny-llama-1.0", "text-generation", "unsigned");
        try (ZipFile zip = new ZipFile(mpack.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).contains("manifest.json", "model.onnx", "tokenizer.json",
                    "tokenizer_config.json", "config.json", "generation_config.json");
            assertThat(zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED)).isTrue();
            JsonNode manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("manifest.json")));
            assertThat(manifest.path("kind").asText()).isEqualTo("text-generation");
            assertThat(manifest.path("chatTemplate").path("inline").asText()).contains("<|im_start|>");
        }

        assertThat(cli.run("pack", "verify", mpack.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("Unsigned: the pack carries no signature.");

        String pub = tmp.resolve("publisher.key.pub").toString();
        assertThat(cli.run("pack", "sign", mpack.toString(), "--key", key.toString())).as(cli.err()).isZero();
        assertThat(cli.run("pack", "verify", mpack.toString())).isEqualTo(1);
        String fingerprint = keyIdOf(pub);
        assertThat(cli.err()).startsWith("Signed by an untrusted key (fingerprint " + fingerprint + ")");
        assertThat(cli.run("pack", "verify", mpack.toString(), "--trust", pub)).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Signed by a trusted publisher (key ");

        assertThat(cli.run("pack", "install", mpack.toString(), "--trust", pub, "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("there is no vault").contains("sovereign vault init");
        assertThat(home.resolve("packs").resolve("tiny-llama-1.0")).doesNotExist();

        initVault();
        assertThat(cli.run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("only if you choose to trust it anyway");
        Files.createDirectories(home.resolve("trust"));
        Files.copy(Path.of(pub), home.resolve("trust").resolve("publisher.pub"));
        assertThat(cli.run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString(), "--progress"))
                .as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Installed tiny-llama-1.0. Signed by a trusted publisher");
        assertThat(cli.err()).contains("Installing 100%");
        assertThat(cli.run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("already installed");

        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out()).contains("tiny-llama", "1.0", "text-generation", "trusted publisher",
                "Apache-2.0", "files ok, signature trusted");

        JsonNode greedy = new ObjectMapper().readTree(TINY_LLAMA.resolve("reference.json").toFile()).path("greedy").get(0);
        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", greedy.path("prompt").asText(), "--raw",
                "--temperature", "0", "--max-tokens", greedy.path("max_new_tokens").asText(),
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo(greedy.path("generated_text").asText() + System.lineSeparator());
        assertThat(cli.err()).contains("tokens/s", "first token after").doesNotContain("Not audited");

        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "3")).isZero();
        assertThat(cli.err()).contains("Not audited: no passphrase was given");

        assertThat(cli.run("audit", "show")).isZero();
        assertThat(cli.out()).contains("pack.installed", "pack.rejected", "inference", "packDigest=",
                "pack=tiny-llama-1.0");
        assertThat(cli.run("audit", "verify")).as(cli.err()).isZero();

        assertThat(cli.run("generate", "--pack", "nothing", "--prompt", "Hi")).isEqualTo(1);
        assertThat(cli.err().strip())
                .isEqualTo("No pack named 'nothing' is installed. Run 'sovereign pack list' to see the installed packs.");
        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", "Hi", "--max-tokens", "0")).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("Invalid value for option '--max-tokens': '0' is not a whole number from 1");

        assertThat(cli.run("pack", "remove", "tiny-llama", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("audit", "show", "--type", "pack.removed")).isZero();
        assertThat(cli.out()).contains("pack.removed", "tiny-llama-1.0");
        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out().strip()).isEqualTo("No packs are installed.");
    }

    /**
     * Red-team finding (issue 15): a same-size swap of an installed pack's manifest (here its inline chat template)
     * was loaded, and 'pack list' still said "files ok, signature trusted", because only sizes were compared.
     */
    @Test
    void aSameSizeSwapAfterInstallIsListedDamagedAndRefusedAtLoad() throws Exception {
        Path key = keygen();
        Path mpack = importTinyLlama();
        assertThat(cli.run("pack", "sign", mpack.toString(), "--key", key.toString())).as(cli.err()).isZero();
        initVault();
        Files.createDirectories(home.resolve("trust"));
        Files.copy(tmp.resolve("publisher.key.pub"), home.resolve("trust").resolve("publisher.pub"));
        assertThat(cli.run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "2")).isZero();

        Path manifest = home.resolve("packs").resolve("tiny-llama-1.0").resolve("manifest.json");
        String before = Files.readString(manifest);
        String after = before.replace("<|im_start|>", "<|im_START|>");
        assertThat(after).isNotEqualTo(before).hasSameSizeAs(before);
        FileTime mtime = Files.getLastModifiedTime(manifest);
        Files.writeString(manifest, after);
        Files.setLastModifiedTime(manifest, mtime);

        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out()).contains("damaged: 'manifest.json' has changed since it was signed.")
                .doesNotContain("files ok");
        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "2")).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("'manifest.json' has changed since it was signed.");
    }

    @Test
    void onnxCommunityRepositoryImportsTheChosenVariantWhichGeneratesThePythonTokens() throws Exception {
        Path repo = TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");
        assertThat(cli.run("pack", "import", repo.toString(), "--list-variants")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("model_q4f16.onnx", "float16 cache and logits", "needs about", "Default: q4");

        assertThat(cli.run("pack", "import", repo.toString(), "--variant", "q8", "--out", tmp.resolve("x.mpack").toString()))
                .isEqualTo(1);
        assertThat(cli.err().strip()).endsWith("choose one of: fp32, fp16, int8, q4, q4f16.");
        assertThat(cli.run("pack", "import", repo.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("Missing required option: '--out=FILE.mpack'");

        Path mpack = tmp.resolve("llama-fp16.mpack");
        assertThat(cli.run("pack", "import", repo.toString(), "--variant", "fp16", "--out", mpack.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Variant fp16 (model_fp16.onnx, ").contains("Wrote ", "llama-fp16-1.0");
        initVault();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();

        JsonNode reference = new ObjectMapper().readTree(repo.resolve("reference.json").toFile()).path("greedy");
        JsonNode fp16 = null;
        for (JsonNode c : reference) {
            if (c.path("variant").asText().equals("fp16")) {
                fp16 = c;
            }
        }
        long[] ids = new long[fp16.path("generated_ids").size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = fp16.path("generated_ids").get(i).asLong();
        }
        String expected;
        try (TextTokenizer tokenizer = TextTokenizer.load(repo)) {
            expected = tokenizer.decode(ids, true);
        }
        String prompt = new ObjectMapper().readTree(TINY_LLAMA.resolve("reference.json").toFile()).path("greedy").get(0)
                .path("prompt").asText();
        assertThat(cli.run("generate", "--pack", "llama-fp16", "--prompt", prompt, "--raw", "--temperature", "0",
                "--max-tokens", String.valueOf(ids.length))).as(cli.err()).isZero();
        assertThat(cli.out()).isEqualTo(expected + System.lineSeparator());
    }

    @Test
    void unsignedPackOnlyWithTrustAnywayWhichIsAudited() {
        Path mpack = importTinyLlama();
        initVault();
        assertThat(cli.run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo(
                "The pack is not signed. It can be installed only if you choose to trust it anyway.");
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("trust it anyway");
        assertThat(cli.run("audit", "show", "--type", "pack.trusted_anyway")).isZero();
        assertThat(cli.out()).contains("pack=tiny-llama-1.0", "verdict=unsigned");
        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out()).contains("unsigned");
    }

    @Test
    void tamperedAfterSigningIsInvalidAndNotInstalled() throws Exception {
        Path key = keygen();
        Path mpack = importTinyLlama();
        assertThat(cli.run("pack", "sign", mpack.toString(), "--key", key.toString())).isZero();
        rewrite(mpack, entries -> {
            byte[] t = entries.get("tokenizer.json");
            t[t.length - 2] = (byte) (t[t.length - 2] == ' ' ? '\t' : ' ');
            return entries;
        });
        String pub = tmp.resolve("publisher.key.pub").toString();
        assertThat(cli.run("pack", "verify", mpack.toString(), "--trust", pub)).isEqualTo(1);
        assertThat(cli.err()).startsWith("Invalid: ").contains("tokenizer.json");
        assertThat(cli.err().strip().lines()).hasSize(1);

        initVault();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("tokenizer.json");
        assertThat(packFolderEntries()).isEmpty();
    }

    @Test
    void unknownManifestVersionAndUnsafeEntriesAreRefused() throws Exception {
        Path mpack = importTinyLlama();
        Path newer = Files.copy(mpack, tmp.resolve("newer.mpack"));
        rewrite(newer, entries -> {
            String m = new String(entries.get("manifest.json"), StandardCharsets.UTF_8);
            entries.put("manifest.json", m.replace("\"formatVersion\" : 1", "\"formatVersion\" : 2")
                    .getBytes(StandardCharsets.UTF_8));
            return entries;
        });
        assertThat(cli.run("pack", "verify", newer.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("formatVersion 2");

        Path evil = Files.copy(mpack, tmp.resolve("evil.mpack"));
        rewrite(evil, entries -> {
            entries.put("../evil.txt", "boo".getBytes(StandardCharsets.UTF_8));
            return entries;
        });
        assertThat(cli.run("pack", "verify", evil.toString())).isEqualTo(1);
        assertThat(cli.err()).startsWith("Invalid: ").contains("refused");
        initVault();
        assertThat(cli.run("pack", "install", evil.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("refused");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(home.resolve("evil.txt")).doesNotExist();
        assertThat(packFolderEntries()).isEmpty();
    }

    @Test
    void importRefusesMissingTokenizerAndCorruptModel() throws Exception {
        Path noTokenizer = copyFixture("no-tokenizer");
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        Path out1 = tmp.resolve("a.mpack");
        assertThat(cli.run("pack", "import", noTokenizer.toString(), "--out", out1.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("has no tokenizer.json");
        assertThat(out1).doesNotExist();

        Path corrupt = copyFixture("corrupt");
        byte[] model = Files.readAllBytes(corrupt.resolve("model.onnx"));
        Files.write(corrupt.resolve("model.onnx"), Arrays.copyOf(model, model.length / 3));
        Path out2 = tmp.resolve("b.mpack");
        assertThat(cli.run("pack", "import", corrupt.toString(), "--out", out2.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo(
                "ONNX Runtime cannot load model.onnx; the file is corrupt, truncated or not an ONNX model.");
        assertThat(out2).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".import-"));
        }

        Path mismatched = copyFixture("mismatched");
        Files.writeString(mismatched.resolve("config.json"), Files.readString(mismatched.resolve("config.json"))
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        assertThat(cli.run("pack", "import", mismatched.toString(), "--out", tmp.resolve("c.mpack").toString())).isEqualTo(1);
        assertThat(cli.err()).startsWith("The model does not fit its kind (text-generation)");
        assertThat(cli.err().strip().lines()).hasSize(1);
    }

    @Test
    void bundledEmbeddingPackInstallsAndEmbeds() throws Exception {
        assertThat(cli.run("embed", "--pack", "all-minilm-l6-v2", "hello")).isEqualTo(1);
        assertThat(cli.err()).contains("pack install-default");
        assertThat(cli.run("pack", "install-default", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("no vault");

        initVault();
        assertThat(cli.run("pack", "install-default", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("all-minilm-l6-v2", "verified by digest");
        assertThat(cli.run("pack", "list")).isZero();
        assertThat(cli.out()).contains("all-minilm-l6-v2", "embedding", "bundled with this build", "Apache-2.0");

        assertThat(cli.run("embed", "--pack", "all-minilm-l6-v2", "The vault is locked.", "A second text")).isZero();
        var lines = cli.out().strip().lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.isArray()).isTrue();
        assertThat(first.size()).isEqualTo(384);
        double norm = 0;
        for (JsonNode v : first) {
            norm += v.asDouble() * v.asDouble();
        }
        assertThat(norm).isGreaterThan(0);

        int cores = Runtime.getRuntime().availableProcessors();
        String expected = "all-minilm-l6-v2: CPU, " + cores + (cores == 1 ? " thread" : " threads") + " (low-power mode off)";
        assertThat(cli.run("doctor")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Loaded models", "none in this run").doesNotContain(expected);
        assertThat(cli.run("doctor", "--load-models")).as(cli.err()).isZero();
        assertThat(cli.out()).contains(expected).contains("new models run on CPU");

        assertThat(cli.run("generate", "--pack", "all-minilm-l6-v2", "--prompt", "x")).isEqualTo(1);
        assertThat(cli.err().strip())
                .isEqualTo("Pack 'all-minilm-l6-v2' is an embedding pack; 'generate' needs a text-generation pack.");
        assertThat(cli.run("audit", "show", "--type", "pack.verified")).isZero();
        assertThat(cli.out()).contains("trust=bundled-digest");
    }

    private static String keyIdOf(String pubFile) throws IOException {
        return KeyId.shortForm(KeyId.of(
                EcKeys.readPublicKey(Path.of(pubFile))));
    }

    private Set<String> packFolderEntries() throws IOException {
        Path packs = home.resolve("packs");
        if (!Files.exists(packs)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(packs)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }

    private Path copyFixture(String name) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (Stream<Path> files = Files.list(TINY_LLAMA)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** Rewrites a STORED zip after {@code change} edits its entries (name to bytes). */
    private static void rewrite(Path zipFile, UnaryOperator<Map<String, byte[]>> change) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        Map<String, byte[]> changed = change.apply(entries);
        try (OutputStream raw = Files.newOutputStream(zipFile); ZipOutputStream zip = new ZipOutputStream(raw)) {
            for (Map.Entry<String, byte[]> e : changed.entrySet()) {
                ZipEntry z = new ZipEntry(e.getKey());
                z.setMethod(ZipEntry.STORED);
                z.setSize(e.getValue().length);
                z.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                z.setCrc(crc.getValue());
                zip.putNextEntry(z);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
    }

}
