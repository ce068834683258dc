package org.sovereign.packs.pack;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.signing.Cooperative;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OperationCancelledException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.SymlinkRefusedException;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PackInstallerTest {
    @TempDir
    Path tmp;
    private Path packsDir;
    private final KeyPair publisher = EcKeys.generate();
    private final PackInstaller installer = new PackInstaller();
    private final PackSigner signer = new PackSigner();
    private TrustPolicy trustPublisher;

    @BeforeEach
    void setUp() throws IOException {
        packsDir = Files.createDirectories(tmp.resolve("packs"));
        Files.createDirectories(packsDir.resolve("other-0.1"));
        Files.writeString(packsDir.resolve("other-0.1/keep.txt"), "an earlier pack");
        trustPublisher = TrustPolicy.publishers(publisher.getPublic());
    }

    private Path signedPack(String name) throws IOException {
        Path dir = TestPacks.write(tmp.resolve("src-" + name), name, "1.0.0");
        signer.sign(dir, publisher, ProgressListener.NONE, () -> false);
        return dir;
    }

    private InstallResult install(Path source, TrustPolicy policy, boolean trustAnyway) throws IOException {
        return installer.install(source, packsDir, policy, trustAnyway, ProgressListener.NONE, () -> false);
    }

    /** Every path and size under the packs folder. */
    private List<String> snapshot() throws IOException {
        try (Stream<Path> s = Files.walk(packsDir)) {
            return s.map(p -> packsDir.relativize(p) + ":" + (Files.isRegularFile(p) ? p.toFile().length() : -1))
                    .sorted().collect(Collectors.toList());
        }
    }

    @Test
    void installsASignedFolderFromATrustedPublisher() throws IOException {
        Path src = signedPack("tiny");
        List<long[]> progress = new ArrayList<>();
        InstallResult result = installer.install(src, packsDir, trustPublisher, false,
                (d, t) -> progress.add(new long[] {d, t}), () -> false);

        Path installed = packsDir.resolve("tiny-1.0.0");
        assertThat(result.pack().directory()).isEqualTo(installed);
        assertThat(result.verdict()).isEqualTo(new Verdict.TrustedPublisher(KeyId.of(publisher.getPublic())));
        assertThat(result.trustedAnyway()).isFalse();
        assertThat(Files.readAllBytes(installed.resolve("model.onnx"))).isEqualTo(TestPacks.defaultFiles().get("model.onnx"));
        assertThat(installed.resolve("model.sig")).isRegularFile();
        try (Stream<Path> s = Files.list(packsDir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("other-0.1", "tiny-1.0.0");
        }
        long[] last = progress.get(progress.size() - 1);
        assertThat(last[0]).isEqualTo(last[1]).isGreaterThan(2 * 200_000L);

        InstalledPack reopened = InstalledPack.open(installed);
        reopened.fastCheck();
        assertThat(reopened.reverify(trustPublisher, ProgressListener.NONE, () -> false).status())
                .isEqualTo(Verdict.Status.TRUSTED_PUBLISHER);
    }

    @Test
    void installsASignedMpackArchive() throws IOException {
        Path archive = tmp.resolve("tiny.mpack");
        new MpackWriter().write(signedPack("tiny"), archive);
        InstallResult result = install(archive, trustPublisher, false);
        assertThat(result.verdict().trusted()).isTrue();
        assertThat(packsDir.resolve("tiny-1.0.0/templates/chat.jinja")).hasContent("{{ messages }}");
    }

    @Test
    void writingTheSamePackTwiceGivesTheSameBytes() throws Exception {
        Path pack = signedPack("tiny");
        Path first = tmp.resolve("first.mpack");
        Path second = tmp.resolve("second.mpack");
        new MpackWriter().write(pack, first);
        Thread.sleep(2_100); // a zip entry's time has a two-second resolution: a clock-stamped entry would differ now
        new MpackWriter().write(pack, second);
        assertThat(Files.readAllBytes(second)).as("entry times are fixed, so a build is reproducible")
                .isEqualTo(Files.readAllBytes(first));
    }

    @Test
    void aTamperedFileIsRefusedAndNothingIsLeftBehind() throws IOException {
        Path src = signedPack("tiny");
        byte[] model = Files.readAllBytes(src.resolve("model.onnx"));
        model[100_000] ^= 1;
        Files.write(src.resolve("model.onnx"), model);
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'model.onnx' has changed since it was signed.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anExtraFileIsRefused() throws IOException {
        Path src = signedPack("tiny");
        Files.writeString(src.resolve("run-me.sh"), "rm -rf ~");
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'run-me.sh' is in the pack but not listed in manifest.json.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aMissingFileIsRefused() throws IOException {
        Path src = signedPack("tiny");
        Files.delete(src.resolve("LICENSE"));
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'LICENSE' is listed in manifest.json but missing.");
        assertThat(snapshot()).containsExactlyInAnyOrder(":-1", "other-0.1:-1", "other-0.1/keep.txt:15");
    }

    @Test
    void aZeroByteModelFileIsRefusedWhenTheManifestSaysOtherwise() throws IOException {
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        Files.write(src.resolve("model.onnx"), new byte[0]);
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, TrustPolicy.none(), true)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'model.onnx' is empty (0 bytes) but manifest.json says 200000 bytes.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aPackSignedWithAnotherKeyIsUntrustedAndNeedsTrustAnyway() throws IOException {
        Path src = signedPack("tiny");
        TrustPolicy otherKey = TrustPolicy.publishers(EcKeys.generate().getPublic());
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, otherKey, false)).isInstanceOf(UntrustedPackException.class)
                .hasMessage("Signed only by keys this workstation does not trust."
                        + " It can be installed only if you choose to trust it anyway.")
                .satisfies(e -> assertThat(((UntrustedPackException) e).verdict().status())
                        .isEqualTo(Verdict.Status.UNTRUSTED_SIGNATURE));
        assertThat(snapshot()).isEqualTo(before);

        InstallResult result = install(src, otherKey, true);
        assertThat(result.trustedAnyway()).isTrue();
        assertThat(result.verdict().status()).isEqualTo(Verdict.Status.UNTRUSTED_SIGNATURE);
        assertThat(packsDir.resolve("tiny-1.0.0/model.onnx")).isRegularFile();
    }

    @Test
    void anUnsignedPackNeedsTrustAnyway() throws IOException {
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(UntrustedPackException.class)
                .hasMessage("The pack is not signed. It can be installed only if you choose to trust it anyway.");
        assertThat(packsDir.resolve("tiny-1.0.0")).doesNotExist();
        assertThat(install(src, trustPublisher, true).verdict()).isEqualTo(new Verdict.Unsigned());
    }

    @Test
    void aCorruptedSignatureIsInvalidEvenWithTrustAnyway() throws IOException {
        Path src = signedPack("tiny");
        String sig = Files.readString(src.resolve("model.sig"));
        Files.writeString(src.resolve("model.sig"), sig.replace("\"sig\" : \"M", "\"sig\" : \"N"));
        assertThatThrownBy(() -> install(src, trustPublisher, true)).isInstanceOf(UntrustedPackException.class)
                .hasMessageStartingWith("The pack's signatures are invalid: model.sig:");
        assertThat(packsDir.resolve("tiny-1.0.0")).doesNotExist();
    }

    @Test
    void aCooperativeThresholdIsMetOrNot() throws IOException {
        KeyPair a = EcKeys.generate();
        KeyPair b = EcKeys.generate();
        KeyPair c = EcKeys.generate();
        TrustPolicy coop = new TrustPolicy(List.of(),
                List.of(new Cooperative("village", List.of(a.getPublic(), b.getPublic(), c.getPublic()), 2)));
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        signer.sign(src, a, ProgressListener.NONE, () -> false);
        assertThatThrownBy(() -> install(src, coop, false)).isInstanceOf(UntrustedPackException.class)
                .hasMessageStartingWith("Signed by 1 of the 3 keys of cooperative 'village', but 2 are required.");

        signer.cosign(src, b);
        InstallResult result = install(src, coop, false);
        assertThat(result.verdict()).isEqualTo(new Verdict.CooperativeThreshold("village", 2, 3,
                List.of(KeyId.of(a.getPublic()), KeyId.of(b.getPublic()))));
        assertThat(packsDir.resolve("tiny-1.0.0/signatures")).isDirectory();
    }

    @Test
    void anUnknownManifestVersionIsRefused() throws IOException {
        Path src = TestPacks.write(tmp.resolve("src"), "tiny", "1.0.0");
        String manifest = Files.readString(src.resolve("manifest.json"));
        Files.writeString(src.resolve("manifest.json"), manifest.replace("\"formatVersion\" : 1", "\"formatVersion\" : 7"));
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, TrustPolicy.none(), true)).isInstanceOf(ManifestException.class)
                .hasMessageStartingWith("manifest.json has formatVersion 7;");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void aSymlinkInThePackIsRefused() throws IOException {
        Path src = signedPack("tiny");
        Files.createSymbolicLink(src.resolve("passwd"), Files.writeString(tmp.resolve("outside.txt"), "secret"));
        assertThatThrownBy(() -> install(src, trustPublisher, true)).isInstanceOf(SymlinkRefusedException.class)
                .hasMessage("'passwd' is a symbolic link; symbolic links are not accepted.");
        assertThat(packsDir.resolve("tiny-1.0.0")).doesNotExist();
    }

    @Test
    void cancellingMidwayLeavesNothingBehind() throws IOException {
        Path src = signedPack("tiny");
        List<String> before = snapshot();
        AtomicBoolean cancel = new AtomicBoolean();
        List<Long> seen = new ArrayList<>();
        assertThatThrownBy(() -> installer.install(src, packsDir, trustPublisher, false, (done, total) -> {
            seen.add(done);
            if (done > 100_000) {
                cancel.set(true);
            }
        }, cancel::get)).isInstanceOf(OperationCancelledException.class).hasMessage("The operation was cancelled.");
        assertThat(seen).isNotEmpty();
        assertThat(seen.get(seen.size() - 1)).isLessThan(2 * 200_000L);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void notEnoughFreeSpaceIsRefusedBeforeCopying() throws IOException {
        Path src = signedPack("tiny");
        List<String> before = snapshot();
        PackInstaller tight = new PackInstaller(dir -> 1_000);
        assertThatThrownBy(() -> tight.install(src, packsDir, trustPublisher, false, ProgressListener.NONE, () -> false))
                .isInstanceOf(InsufficientSpaceException.class)
                .hasMessageMatching("The pack needs 0\\.2 MB but only 0\\.0 MB are free where packs are installed\\.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anInstalledVersionIsNotReplaced() throws IOException {
        Path src = signedPack("tiny");
        install(src, trustPublisher, false);
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(PackAlreadyInstalledException.class)
                .hasMessage("Pack 'tiny' version 1.0.0 is already installed.");
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void laterChecksFindChanges() throws IOException {
        InstalledPack pack = install(signedPack("tiny"), trustPublisher, false).pack();
        Path license = pack.directory().resolve("LICENSE");
        Files.writeString(license, "Apache License 2.0 TEXT");
        assertThatThrownBy(pack::fastCheck).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'LICENSE' has changed since it was signed.");
        assertThatThrownBy(() -> pack.reverify(trustPublisher, ProgressListener.NONE, () -> false))
                .isInstanceOf(FileIntegrityException.class).hasMessage("'LICENSE' has changed since it was signed.");
        Files.writeString(license, "short");
        assertThatThrownBy(pack::fastCheck).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'LICENSE' has 5 bytes but manifest.json says 23.");
    }

    @Test
    void anEditedManifestBreaksTheSignature() throws IOException {
        Path src = signedPack("tiny");
        String manifest = Files.readString(src.resolve("manifest.json"));
        Files.writeString(src.resolve("manifest.json"), manifest.replace("A tiny test model.", "A huge test model."));
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'manifest.json' has changed since it was signed.");
        assertThat(packsDir.resolve("tiny-1.0.0")).doesNotExist();
    }

    @Test
    void aGitFolderInAPackIsAnUnlistedFile() throws IOException {
        Path src = signedPack("tiny");
        Files.createDirectories(src.resolve(".git"));
        Files.writeString(src.resolve(".git/config"), "[core]");
        assertThatThrownBy(() -> install(src, trustPublisher, false)).isInstanceOf(FileIntegrityException.class)
                .hasMessage("'.git/config' is in the pack but not listed in manifest.json.");
    }

    @Test
    void anUnreadableSignatureBundleIsInvalid() throws IOException {
        Path src = signedPack("tiny");
        Files.createDirectories(src.resolve("signatures"));
        Files.writeString(src.resolve("signatures/x.sig"), "{oops");
        assertThatThrownBy(() -> install(src, trustPublisher, true)).isInstanceOf(UntrustedPackException.class)
                .hasMessage("The pack's signatures are invalid: signatures/x.sig: The signature bundle is not valid JSON.");
    }

    @Test
    void aFileThatIsNotAZipIsRefused() throws IOException {
        Path notZip = Files.writeString(tmp.resolve("fake.mpack"), "hello, not a zip");
        assertArchiveRefused(notZip, "'fake.mpack' is not a readable .mpack archive.");
    }

    // ---- archives ----

    private Path zip(String fileName, Map<String, byte[]> entries, int method) throws IOException {
        Path archive = tmp.resolve(fileName);
        try (OutputStream out = Files.newOutputStream(archive); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(method);
                if (method == ZipEntry.STORED) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        return archive;
    }

    private void assertArchiveRefused(Path archive, String message) throws IOException {
        List<String> before = snapshot();
        assertThatThrownBy(() -> install(archive, TrustPolicy.none(), true))
                .isInstanceOf(UnsafeArchiveException.class).hasMessage(message);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void anArchiveEntryWithDotDotIsRefused() throws IOException {
        assertArchiveRefused(zip("evil.mpack", Map.of("../evil.txt", "x".getBytes()), ZipEntry.STORED),
                "The archive has an entry with a '..' segment in '../evil.txt'; refused.");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void anArchiveEntryWithAnAbsolutePathIsRefused() throws IOException {
        assertArchiveRefused(zip("abs.mpack", Map.of("/tmp/evil.txt", "x".getBytes()), ZipEntry.STORED),
                "The archive has an entry with an absolute path '/tmp/evil.txt'; refused.");
    }

    @Test
    void anArchiveEntryWithABackslashIsRefused() throws IOException {
        assertArchiveRefused(zip("bs.mpack", Map.of("..\\evil.txt", "x".getBytes()), ZipEntry.STORED),
                "The archive has an entry with a backslash in '..\\evil.txt'; refused.");
    }

    @Test
    void anArchiveWithMoreEntriesThanTheLimitIsRefusedBeforeAnyIsRead() throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i <= MpackArchive.MAX_ENTRIES; i++) {
            entries.put("f/" + i, new byte[0]);
        }
        assertArchiveRefused(zip("many.mpack", entries, ZipEntry.STORED),
                "The archive has more than " + MpackArchive.MAX_ENTRIES + " entries.");
    }

    @Test
    void aCompressedZipBombIsRefused() throws IOException {
        Path bomb = zip("bomb.mpack", Map.of("model.onnx", new byte[20_000_000]), ZipEntry.DEFLATED);
        assertThat(Files.size(bomb)).isLessThan(100_000);
        assertArchiveRefused(bomb, "Archive entry 'model.onnx' is compressed; .mpack entries must be stored uncompressed.");
    }

    @Test
    void aStoredEntryDeclaringAHugeSizeIsRefused() throws IOException {
        Path archive = zip("huge.mpack", Map.of("model.onnx", "tiny".getBytes()), ZipEntry.STORED);
        byte[] bytes = Files.readAllBytes(archive);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 4 <= bytes.length; i++) {
            if (buf.getInt(i) == 0x02014b50) {
                buf.putInt(i + 20, 0x7FFF_0000);
                buf.putInt(i + 24, 0x7FFF_0000);
                patched++;
            }
        }
        assertThat(patched).isEqualTo(1);
        Files.write(archive, bytes);
        assertArchiveRefused(archive, "The archive declares more content than its own size of "
                + bytes.length + " bytes; refused as a possible zip bomb.");
    }
}
