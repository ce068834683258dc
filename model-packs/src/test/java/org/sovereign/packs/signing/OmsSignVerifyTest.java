package org.sovereign.packs.signing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OmsSignVerifyTest {
    private static final List<String> SIG = List.of("model.sig");
    private final OmsSigner signer = new OmsSigner();
    private final OmsVerifier verifier = new OmsVerifier();
    private final KeyPair key = EcKeys.generate();

    private Path model(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("sub"));
        Files.write(dir.resolve("weights.bin"), new byte[300_000]);
        Files.writeString(dir.resolve("config.json"), "{}");
        Files.writeString(dir.resolve("sub/b.txt"), "b");
        Files.createDirectories(dir.resolve(".git"));
        Files.writeString(dir.resolve(".git/HEAD"), "ref");
        return dir;
    }

    private OmsStatement signAndVerify(Path dir) throws Exception {
        OmsBundle bundle = signer.sign(dir, "m", SIG, key, ProgressListener.NONE, () -> false);
        Files.write(dir.resolve("model.sig"), bundle.toJson());
        OmsBundle read = OmsBundle.parse(Files.readAllBytes(dir.resolve("model.sig")));
        OmsStatement statement = verifier.verify(read, key.getPublic());
        verifier.verifyFiles(dir, statement, SIG, ProgressListener.NONE, () -> false);
        return statement;
    }

    @Test
    void signsAndVerifiesAFolderInOmsFormat(@TempDir Path dir) throws Exception {
        model(dir);
        List<long[]> progress = new ArrayList<>();
        OmsBundle bundle = signer.sign(dir, "m", SIG, key, (d, t) -> progress.add(new long[] {d, t}), () -> false);
        Files.write(dir.resolve("model.sig"), bundle.toJson());

        OmsStatement statement = verifier.verify(OmsBundle.parse(bundle.toJson()), key.getPublic());
        assertThat(statement.resources()).extracting(OmsResource::name)
                .containsExactly("config.json", "sub/b.txt", "weights.bin");
        assertThat(statement.serialization().ignorePaths())
                .containsExactly(".git", ".gitignore", ".gitattributes", ".github", "model.sig");
        assertThat(statement.subjectDigest()).isEqualTo(OmsStatement.rootDigest(statement.resources()));
        assertThat(progress.get(progress.size() - 1)).containsExactly(300_003L, 300_003L);
        assertThat(progress.size()).isGreaterThan(2);

        Map<String, String> digests = verifier.verifyFiles(dir, statement, SIG, ProgressListener.NONE, () -> false);
        assertThat(digests).containsEntry("sub/b.txt",
                "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d");

        ObjectMapper json = new ObjectMapper();
        JsonNode root = json.readTree(bundle.toJson());
        assertThat(root.path("mediaType").asText()).isEqualTo("application/vnd.dev.sigstore.bundle.v0.3+json");
        assertThat(root.path("verificationMaterial").path("publicKey").path("hint").asText())
                .isEqualTo(KeyId.of(key.getPublic()));
        assertThat(root.path("dsseEnvelope").path("payloadType").asText()).isEqualTo("application/vnd.in-toto+json");
        JsonNode st = json.readTree(Base64.getDecoder().decode(root.path("dsseEnvelope").path("payload").asText()));
        assertThat(st.path("_type").asText()).isEqualTo("https://in-toto.io/Statement/v1");
        assertThat(st.path("predicateType").asText()).isEqualTo("https://model_signing/signature/v1.0");
        assertThat(st.path("predicate").path("serialization").path("method").asText()).isEqualTo("files");
        assertThat(st.path("predicate").path("serialization").path("hash_type").asText()).isEqualTo("sha256");
        assertThat(st.path("predicate").path("serialization").path("allow_symlinks").isBoolean()).isTrue();
        assertThat(st.path("predicate").path("resources").get(0).path("algorithm").asText()).isEqualTo("sha256");
    }

    @Test
    void aChangedFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
        OmsStatement statement = signAndVerify(model(dir));
        Files.writeString(dir.resolve("sub/b.txt"), "c");
        assertThatThrownBy(() -> verifier.verifyFiles(dir, statement, SIG, ProgressListener.NONE, () -> false))
                .isInstanceOf(FileIntegrityException.class)
                .hasMessage("'sub/b.txt' has changed since it was signed.");
    }

    @Test
    void anExtraFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
        OmsStatement statement = signAndVerify(model(dir));
        Files.writeString(dir.resolve("sub/extra.py"), "import os");
        assertThatThrownBy(() -> verifier.verifyFiles(dir, statement, SIG, ProgressListener.NONE, () -> false))
                .isInstanceOf(FileIntegrityException.class)
                .hasMessage("'sub/extra.py' is not listed in the signature.");
    }

    @Test
    void aMissingFileFailsNamingTheFile(@TempDir Path dir) throws Exception {
        OmsStatement statement = signAndVerify(model(dir));
        Files.delete(dir.resolve("config.json"));
        assertThatThrownBy(() -> verifier.verifyFiles(dir, statement, SIG, ProgressListener.NONE, () -> false))
                .isInstanceOf(FileIntegrityException.class)
                .hasMessage("'config.json' is listed in the signature but missing.");
    }

    @Test
    void theWrongKeyDoesNotVerify(@TempDir Path dir) throws Exception {
        OmsBundle bundle = signer.sign(model(dir), "m", SIG, key, ProgressListener.NONE, () -> false);
        KeyPair other = EcKeys.generate();
        assertThat(verifier.signatureMatches(bundle, other.getPublic())).isFalse();
        assertThatThrownBy(() -> verifier.verify(bundle, other.getPublic()))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signature does not verify with key " + KeyId.shortForm(KeyId.of(other.getPublic())) + ".");
    }

    @Test
    void aTamperedPayloadDoesNotVerify(@TempDir Path dir) throws Exception {
        OmsBundle bundle = signer.sign(model(dir), "m", SIG, key, ProgressListener.NONE, () -> false);
        String json = new String(bundle.toJson());
        OmsStatement s = OmsStatement.parse(bundle.payload());
        OmsStatement forged = OmsStatement.of("forged", s.resources(), s.serialization().ignorePaths());
        String tampered = json.replace(Base64.getEncoder().encodeToString(bundle.payload()),
                Base64.getEncoder().encodeToString(forged.toJson()));
        assertThat(tampered).isNotEqualTo(json);
        assertThat(verifier.signatureMatches(OmsBundle.parse(tampered.getBytes()), key.getPublic())).isFalse();
    }

    @Test
    void symlinksAreRefusedWhenSigningAndVerifying(@TempDir Path dir) throws Exception {
        OmsStatement statement = signAndVerify(model(dir.resolve("m")));
        Files.createSymbolicLink(dir.resolve("m/link.bin"), dir.resolve("m/weights.bin"));
        assertThatThrownBy(() -> verifier.verifyFiles(dir.resolve("m"), statement, SIG, ProgressListener.NONE, () -> false))
                .isInstanceOf(SymlinkRefusedException.class)
                .hasMessage("'link.bin' is a symbolic link; symbolic links are not accepted.");
        assertThatThrownBy(() -> signer.sign(dir.resolve("m"), "m", SIG, key, ProgressListener.NONE, () -> false))
                .isInstanceOf(SymlinkRefusedException.class);
    }

    @Test
    void cancellingStopsHashing(@TempDir Path dir) throws Exception {
        model(dir);
        AtomicBoolean cancel = new AtomicBoolean();
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> signer.sign(dir, "m", SIG, key, (d, t) -> {
            seen.add(d);
            cancel.set(true);
        }, cancel::get)).isInstanceOf(OperationCancelledException.class).hasMessage("The operation was cancelled.");
        assertThat(seen).hasSize(1);
        assertThat(Files.exists(dir.resolve("model.sig"))).isFalse();
    }

    @Test
    void coSignersSignTheSamePayload(@TempDir Path dir) throws Exception {
        OmsBundle first = signer.sign(model(dir), "m", SIG, key, ProgressListener.NONE, () -> false);
        KeyPair second = EcKeys.generate();
        OmsBundle co = signer.cosign(first, second);
        assertThat(co.payload()).isEqualTo(first.payload());
        assertThat(co.keyHint()).contains(KeyId.of(second.getPublic()));
        assertThat(verifier.signatureMatches(co, second.getPublic())).isTrue();
        assertThat(verifier.signatureMatches(co, key.getPublic())).isFalse();
    }

    @Test
    void refusesBundlesOfTheWrongShape() {
        assertThatThrownBy(() -> OmsBundle.parse("{\"mediaType\":\"application/x\"}".getBytes()))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signature bundle has media type 'application/x', not "
                        + "application/vnd.dev.sigstore.bundle.v0.3+json.");
        String cert = "{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\","
                + "\"verificationMaterial\":{\"x509CertificateChain\":{\"certificates\":[]}},\"dsseEnvelope\":{}}";
        assertThatThrownBy(() -> OmsBundle.parse(cert.getBytes()))
                .isInstanceOf(BundleFormatException.class)
                .hasMessage("The signature bundle is certificate-based; only key-based bundles are accepted.");
        assertThatThrownBy(() -> OmsBundle.parse("not json".getBytes()))
                .isInstanceOf(BundleFormatException.class).hasMessage("The signature bundle is not valid JSON.");
    }
}
