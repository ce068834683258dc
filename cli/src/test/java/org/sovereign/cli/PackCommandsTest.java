package org.sovereign.cli;

import org.sovereign.core.DesktopLauncher;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.Workstation;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The pack, generate and embed commands on the real tiny-Llama fixture and the bundled MiniLM pack. */
class PackCommandsTest {


    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] full = new String[args.length + 2];
        System.arraycopy(args, 0, full, 0, args.length);
        full[args.length] = "--data-dir";
        full[args.length + 1] = home.toString();
        return new SovereignCli(new NoDesktop()).withStreams(new PrintWriter(out), new PrintWriter(err)).execute(full);
    }

    private void initVault() {
        assertThat(run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(err.toString()).isZero();
    }

    private Path importTinyLlama() {
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(run("pack", "import", TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", "tiny-llama",
                "--licence", "Apache-2.0")).as(err.toString()).isZero();
        return mpack;
    }

    private Path keygen() {
        Path key = tmp.resolve("publisher.key");
        assertThat(run("pack", "keygen", "--out", key.toString())).as(err.toString()).isZero();
        return key;
    }

    @Test
    void importSignVerifyInstallListGenerateRemove() throws Exception {
        Path key = keygen();
        assertThat(Files.getPosixFilePermissions(key)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(tmp.resolve("publisher.key.pub")).exists();
        String keyFile = Files.readString(key);
        assertThat(run("pack", "keygen", "--out", key.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).endsWith("already exists; key files are never overwritten.");
        assertThat(Files.readString(key)).isEqualTo(keyFile);

        Path mpack = importTinyLlama();
        assertThat(out.toString()).contains("tiny-llama-1.0", "text-generation", "unsigned");
        try (ZipFile zip = new ZipFile(mpack.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).contains("manifest.json", "model.onnx", "tokenizer.json",
                    "tokenizer_config.json", "config.json", "generation_config.json");
            assertThat(zip.stream().allMatch(e -> e.getMethod() == ZipEntry.STORED)).isTrue();
            JsonNode manifest = new ObjectMapper().readTree(zip.getInputStream(zip.getEntry("manifest.json")));
            assertThat(manifest.path("kind").asText()).isEqualTo("text-generation");
            assertThat(manifest.path("chatTemplate").path("inline").asText()).contains("<|im_start|>");
        }

        assertThat(run("pack", "verify", mpack.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("Unsigned: the pack carries no signature.");

        String pub = tmp.resolve("publisher.key.pub").toString();
        assertThat(run("pack", "sign", mpack.toString(), "--key", key.toString())).as(err.toString()).isZero();
        assertThat(run("pack", "verify", mpack.toString())).isEqualTo(1);
        String fingerprint = keyIdOf(pub);
        assertThat(err.toString()).startsWith("Signed by an untrusted key (fingerprint " + fingerprint + ")");
        assertThat(run("pack", "verify", mpack.toString(), "--trust", pub)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Signed by a trusted publisher (key ");

        assertThat(run("pack", "install", mpack.toString(), "--trust", pub, "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("there is no vault").contains("sovereign vault init");
        assertThat(home.resolve("packs").resolve("tiny-llama-1.0")).doesNotExist();

        initVault();
        assertThat(run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("only if you choose to trust it anyway");
        Files.createDirectories(home.resolve("trust"));
        Files.copy(Path.of(pub), home.resolve("trust").resolve("publisher.pub"));
        assertThat(run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString(), "--progress"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Installed tiny-llama-1.0. Signed by a trusted publisher");
        assertThat(err.toString()).contains("Installing 100%");
        assertThat(run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("already installed");

        assertThat(run("pack", "list")).isZero();
        assertThat(out.toString()).contains("tiny-llama", "1.0", "text-generation", "trusted publisher",
                "Apache-2.0", "files ok, signature trusted");

        JsonNode greedy = new ObjectMapper().readTree(TINY_LLAMA.resolve("reference.json").toFile()).path("greedy").get(0);
        assertThat(run("generate", "--pack", "tiny-llama", "--prompt", greedy.path("prompt").asText(), "--raw",
                "--temperature", "0", "--max-tokens", greedy.path("max_new_tokens").asText(),
                "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(greedy.path("generated_text").asText() + System.lineSeparator());
        assertThat(err.toString()).contains("tokens/s", "first token after").doesNotContain("Not audited");

        assertThat(run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "3")).isZero();
        assertThat(err.toString()).contains("Not audited: no passphrase was given");

        assertThat(run("audit", "show")).isZero();
        assertThat(out.toString()).contains("pack.installed", "pack.rejected", "inference", "packDigest=",
                "pack=tiny-llama-1.0");
        assertThat(run("audit", "verify")).as(err.toString()).isZero();

        assertThat(run("generate", "--pack", "nothing", "--prompt", "Hi")).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("No pack named 'nothing' is installed. Run 'sovereign pack list' to see the installed packs.");
        assertThat(run("generate", "--pack", "tiny-llama", "--prompt", "Hi", "--max-tokens", "0")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("--max-tokens must be at least 1.");

        assertThat(run("pack", "remove", "tiny-llama")).as(err.toString()).isZero();
        assertThat(run("pack", "list")).isZero();
        assertThat(out.toString().strip()).isEqualTo("No packs are installed.");
    }

    /**
     * Red-team finding (issue 15): a same-size swap of an installed pack's manifest (here its inline chat template)
     * was loaded, and 'pack list' still said "files ok, signature trusted", because only sizes were compared.
     */
    @Test
    void aSameSizeSwapAfterInstallIsListedDamagedAndRefusedAtLoad() throws Exception {
        Path key = keygen();
        Path mpack = importTinyLlama();
        assertThat(run("pack", "sign", mpack.toString(), "--key", key.toString())).as(err.toString()).isZero();
        initVault();
        Files.createDirectories(home.resolve("trust"));
        Files.copy(tmp.resolve("publisher.key.pub"), home.resolve("trust").resolve("publisher.pub"));
        assertThat(run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString()))
                .as(err.toString()).isZero();
        assertThat(run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "2")).isZero();

        Path manifest = home.resolve("packs").resolve("tiny-llama-1.0").resolve("manifest.json");
        String before = Files.readString(manifest);
        String after = before.replace("<|im_start|>", "<|im_START|>");
        assertThat(after).isNotEqualTo(before).hasSameSizeAs(before);
        java.nio.file.attribute.FileTime mtime = Files.getLastModifiedTime(manifest);
        Files.writeString(manifest, after);
        Files.setLastModifiedTime(manifest, mtime);

        assertThat(run("pack", "list")).isZero();
        assertThat(out.toString()).contains("damaged: 'manifest.json' has changed since it was signed.")
                .doesNotContain("files ok");
        assertThat(run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "2")).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("'manifest.json' has changed since it was signed.");
    }

    @Test
    void onnxCommunityRepositoryImportsTheChosenVariantWhichGeneratesThePythonTokens() throws Exception {
        Path repo = TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");
        assertThat(run("pack", "import", repo.toString(), "--list-variants")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("model_q4f16.onnx", "float16 cache and logits", "needs about", "Default: q4");

        assertThat(run("pack", "import", repo.toString(), "--variant", "q8", "--out", tmp.resolve("x.mpack").toString()))
                .isEqualTo(1);
        assertThat(err.toString().strip()).endsWith("choose one of: fp32, fp16, int8, q4, q4f16.");
        assertThat(run("pack", "import", repo.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("Missing required option: '--out=FILE.mpack'");

        Path mpack = tmp.resolve("llama-fp16.mpack");
        assertThat(run("pack", "import", repo.toString(), "--variant", "fp16", "--out", mpack.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Variant fp16 (model_fp16.onnx, ").contains("Wrote ", "llama-fp16-1.0");
        initVault();
        assertThat(run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(err.toString()).isZero();

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
        try (org.sovereign.packs.tokenizer.TextTokenizer tokenizer = org.sovereign.packs.tokenizer.TextTokenizer.load(repo)) {
            expected = tokenizer.decode(ids, true);
        }
        String prompt = new ObjectMapper().readTree(TINY_LLAMA.resolve("reference.json").toFile()).path("greedy").get(0)
                .path("prompt").asText();
        assertThat(run("generate", "--pack", "llama-fp16", "--prompt", prompt, "--raw", "--temperature", "0",
                "--max-tokens", String.valueOf(ids.length))).as(err.toString()).isZero();
        assertThat(out.toString()).isEqualTo(expected + System.lineSeparator());
    }

    @Test
    void unsignedPackOnlyWithTrustAnywayWhichIsAudited() {
        Path mpack = importTinyLlama();
        initVault();
        assertThat(run("pack", "install", mpack.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(
                "The pack is not signed. It can be installed only if you choose to trust it anyway.");
        assertThat(run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("trust it anyway");
        assertThat(run("audit", "show", "--type", "pack.trusted_anyway")).isZero();
        assertThat(out.toString()).contains("pack=tiny-llama-1.0", "verdict=unsigned");
        assertThat(run("pack", "list")).isZero();
        assertThat(out.toString()).contains("unsigned");
    }

    @Test
    void tamperedAfterSigningIsInvalidAndNotInstalled() throws Exception {
        Path key = keygen();
        Path mpack = importTinyLlama();
        assertThat(run("pack", "sign", mpack.toString(), "--key", key.toString())).isZero();
        rewrite(mpack, entries -> {
            byte[] t = entries.get("tokenizer.json");
            t[t.length - 2] = (byte) (t[t.length - 2] == ' ' ? '\t' : ' ');
            return entries;
        });
        String pub = tmp.resolve("publisher.key.pub").toString();
        assertThat(run("pack", "verify", mpack.toString(), "--trust", pub)).isEqualTo(1);
        assertThat(err.toString()).startsWith("Invalid: ").contains("tokenizer.json");
        assertThat(err.toString().strip().lines()).hasSize(1);

        initVault();
        assertThat(run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("tokenizer.json");
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
        assertThat(run("pack", "verify", newer.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("formatVersion 2");

        Path evil = Files.copy(mpack, tmp.resolve("evil.mpack"));
        rewrite(evil, entries -> {
            entries.put("../evil.txt", "boo".getBytes(StandardCharsets.UTF_8));
            return entries;
        });
        assertThat(run("pack", "verify", evil.toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("Invalid: ").contains("refused");
        initVault();
        assertThat(run("pack", "install", evil.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("refused");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(home.resolve("evil.txt")).doesNotExist();
        assertThat(packFolderEntries()).isEmpty();
    }

    @Test
    void importRefusesMissingTokenizerAndCorruptModel() throws Exception {
        Path noTokenizer = copyFixture("no-tokenizer");
        Files.delete(noTokenizer.resolve("tokenizer.json"));
        Path out1 = tmp.resolve("a.mpack");
        assertThat(run("pack", "import", noTokenizer.toString(), "--out", out1.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("has no tokenizer.json");
        assertThat(out1).doesNotExist();

        Path corrupt = copyFixture("corrupt");
        byte[] model = Files.readAllBytes(corrupt.resolve("model.onnx"));
        Files.write(corrupt.resolve("model.onnx"), java.util.Arrays.copyOf(model, model.length / 3));
        Path out2 = tmp.resolve("b.mpack");
        assertThat(run("pack", "import", corrupt.toString(), "--out", out2.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo(
                "ONNX Runtime cannot load model.onnx; the file is corrupt, truncated or not an ONNX model.");
        assertThat(out2).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".import-"));
        }

        Path mismatched = copyFixture("mismatched");
        Files.writeString(mismatched.resolve("config.json"), Files.readString(mismatched.resolve("config.json"))
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        assertThat(run("pack", "import", mismatched.toString(), "--out", tmp.resolve("c.mpack").toString())).isEqualTo(1);
        assertThat(err.toString()).startsWith("The model does not fit its kind (text-generation)");
        assertThat(err.toString().strip().lines()).hasSize(1);
    }

    @Test
    void bundledEmbeddingPackInstallsAndEmbeds() throws Exception {
        assertThat(run("embed", "--pack", "all-minilm-l6-v2", "hello")).isEqualTo(1);
        assertThat(err.toString()).contains("pack install-default");
        assertThat(run("pack", "install-default", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString()).contains("no vault");

        initVault();
        assertThat(run("pack", "install-default", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("all-minilm-l6-v2", "verified by digest");
        assertThat(run("pack", "list")).isZero();
        assertThat(out.toString()).contains("all-minilm-l6-v2", "embedding", "bundled with this build", "Apache-2.0");

        assertThat(run("embed", "--pack", "all-minilm-l6-v2", "The vault is locked.", "A second text")).isZero();
        var lines = out.toString().strip().lines().toList();
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
        assertThat(run("doctor")).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Loaded models", "none in this run").doesNotContain(expected);
        assertThat(run("doctor", "--load-models")).as(err.toString()).isZero();
        assertThat(out.toString()).contains(expected).contains("new models run on CPU");

        assertThat(run("generate", "--pack", "all-minilm-l6-v2", "--prompt", "x")).isEqualTo(1);
        assertThat(err.toString().strip())
                .isEqualTo("Pack 'all-minilm-l6-v2' is an embedding pack; 'generate' needs a text-generation pack.");
        assertThat(run("audit", "show", "--type", "pack.verified")).isZero();
        assertThat(out.toString()).contains("trust=bundled-digest");
    }

    private static String keyIdOf(String pubFile) throws IOException {
        return org.sovereign.packs.signing.KeyId.shortForm(org.sovereign.packs.signing.KeyId.of(
                org.sovereign.packs.signing.EcKeys.readPublicKey(Path.of(pubFile))));
    }

    private Set<String> packFolderEntries() throws IOException {
        Path packs = home.resolve("packs");
        if (!Files.exists(packs)) {
            return Set.of();
        }
        try (Stream<Path> s = Files.list(packs)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
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

    private static final class NoDesktop implements DesktopLauncher {
        @Override
        public boolean displayAvailable() {
            return false;
        }

        @Override
        public void launch(Workstation context) {
            throw new AssertionError("not in these tests");
        }
    }
}
