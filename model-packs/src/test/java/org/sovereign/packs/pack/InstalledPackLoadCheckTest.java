package org.sovereign.packs.pack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.KeyPair;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An installed pack changed in place after installation is refused when it is loaded or listed. The check used to
 * compare sizes only, so a same-size swap of a template, the manifest or the weights was loaded (and listed as
 * "signature trusted").
 */
class InstalledPackLoadCheckTest {
    @TempDir
    Path tmp;
    private final KeyPair publisher = EcKeys.generate();
    private TrustPolicy trust;
    private Path packsDir;

    @BeforeEach
    void setUp() throws IOException {
        packsDir = Files.createDirectories(tmp.resolve("packs"));
        trust = TrustPolicy.publishers(publisher.getPublic());
    }

    private InstalledPack installSigned() throws IOException {
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        new PackSigner().sign(src, publisher, ProgressListener.NONE, () -> false);
        return installed(src, trust, false);
    }

    private InstalledPack installed(Path src, TrustPolicy policy, boolean anyway) throws IOException {
        new PackInstaller().install(src, packsDir, policy, anyway, ProgressListener.NONE, () -> false);
        InstalledPack pack = InstalledPack.open(packsDir.resolve("tiny-1.0.0"));
        pack.checkForLoad(); // a first, good check (it also fills the in-memory digest cache)
        return pack;
    }

    /** Rewrites {@code file} in place with {@code transform}'s same-length result and puts its mtime back. */
    private static void swapSameSize(Path file, UnaryOperator<byte[]> transform) throws IOException {
        FileTime mtime = Files.getLastModifiedTime(file);
        byte[] before = Files.readAllBytes(file);
        byte[] after = transform.apply(before.clone());
        assertThat(after).hasSameSizeAs(before).isNotEqualTo(before);
        Files.write(file, after);
        Files.setLastModifiedTime(file, mtime);
    }

    @Test
    void aSameSizeTemplateSwapIsRefusedNamingTheFile() throws IOException {
        InstalledPack pack = installSigned();
        swapSameSize(pack.directory().resolve("templates/chat.jinja"),
                b -> "{{ secrets }}!".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(pack::checkForLoad).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'templates/chat.jinja' has changed since it was signed.");
        assertThatThrownBy(InstalledPack.open(pack.directory())::fastCheck).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'templates/chat.jinja' has changed since it was signed.");
    }

    @Test
    void aSameSizeManifestSwapIsRefusedNamingTheFile() throws IOException {
        InstalledPack pack = installSigned();
        Path manifest = pack.directory().resolve(PackLayout.MANIFEST);
        swapSameSize(manifest, b -> new String(b, StandardCharsets.UTF_8)
                .replace("A tiny test model.", "A tiny evil model.").getBytes(StandardCharsets.UTF_8));

        InstalledPack reopened = InstalledPack.open(pack.directory());
        assertThat(reopened.manifest().modelCard()).isEqualTo("A tiny evil model.");
        assertThatThrownBy(reopened::checkForLoad).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'manifest.json' has changed since it was signed.");
        // the signature itself still verifies: it is the manifest that no longer matches it
        assertThat(reopened.signatureVerdict(trust).trusted()).isTrue();
    }

    @Test
    void aSameSizeWeightsSwapIsRefusedNamingTheFile() throws IOException {
        InstalledPack pack = installSigned();
        swapSameSize(pack.directory().resolve("model.onnx"), b -> {
            b[100_000] ^= 1;
            return b;
        });

        assertThatThrownBy(pack::checkForLoad).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'model.onnx' has changed since it was signed.");
    }

    @Test
    void anUnsignedPacksFilesAreCheckedAgainstItsManifest() throws IOException {
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        InstalledPack pack = installed(src, TrustPolicy.none(), true);
        assertThat(pack.signatureVerdict(TrustPolicy.none())).isInstanceOf(Verdict.Unsigned.class);
        swapSameSize(pack.directory().resolve("tokenizer.json"), b -> {
            b[b.length - 2] = '!';
            return b;
        });

        assertThatThrownBy(pack::checkForLoad).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'tokenizer.json' does not match its SHA-256 in manifest.json.");
    }

    @Test
    void anUnchangedPackPassesAgain() throws IOException {
        InstalledPack pack = installSigned();
        pack.checkForLoad();
        InstalledPack.open(pack.directory()).fastCheck();
    }
}
