package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * Red-team finding (issue 15): a pack whose {@code manifest.json} is a directory gave "Internal error" (exit 2).
 * Every odd kind of file where the manifest should be (a directory, in a folder or an archive; a link to a device; a
 * named pipe; an oversized file; an installed pack's manifest replaced by a directory) is one plain line and exit 1.
 */
class OddPackFilesTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private CliRun cli;

    @BeforeEach
    void setUp() throws IOException {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "odd pack files passphrase\n");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
    }

    /** {@code pack verify} and {@code pack install} both refuse {@code pack} with one plain line naming the manifest. */
    private void refusedPlainly(Path pack) throws IOException {
        assertThat(cli.run("pack", "verify", pack.toString())).as(cli.err()).isEqualTo(SovereignCli.USER_ERROR);
        assertOneLineAboutTheManifest();
        assertThat(cli.run("pack", "install", pack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isEqualTo(SovereignCli.USER_ERROR);
        assertOneLineAboutTheManifest();
        try (var left = Files.list(home.resolve("packs"))) {
            assertThat(left.toList()).as("nothing installed, nothing staged left behind").isEmpty();
        }
    }

    private void assertOneLineAboutTheManifest() {
        assertThat(cli.err()).doesNotContain("Internal error").contains("manifest.json");
        assertThat(cli.err().strip().lines()).hasSize(1);
    }

    private Path folderPack(String name) throws IOException {
        Path pack = Files.createDirectories(tmp.resolve(name));
        Files.writeString(pack.resolve("tokenizer.json"), "{}");
        return pack;
    }

    @Test
    void aManifestThatIsADirectoryInAPackFolder() throws IOException {
        Path pack = folderPack("dir-manifest");
        Files.writeString(Files.createDirectories(pack.resolve("manifest.json")).resolve("inside.txt"), "x");
        refusedPlainly(pack);
    }

    @Test
    void aManifestThatIsADirectoryInAnArchive() throws IOException {
        Path mpack = tmp.resolve("dir-manifest.mpack");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(mpack))) {
            stored(zip, "manifest.json/inside.txt", "x".getBytes(StandardCharsets.UTF_8));
            stored(zip, "tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
        }
        refusedPlainly(mpack);
    }

    @Test
    void aManifestThatIsALinkToADevice() throws IOException {
        Path pack = folderPack("link-manifest");
        Files.createSymbolicLink(pack.resolve("manifest.json"), Path.of("/dev/zero"));
        refusedPlainly(pack);
    }

    @Test
    void aManifestThatIsANamedPipe() throws Exception {
        Path pack = folderPack("fifo-manifest");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", pack.resolve("manifest.json").toString()).start();
        } catch (IOException noMkfifo) {
            assumeThat(false).as("mkfifo is not available here").isTrue();
            return;
        }
        assertThat(mkfifo.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assumeThat(mkfifo.exitValue()).as("mkfifo worked").isZero();
        refusedPlainly(pack); // and nothing blocks opening the pipe for reading
    }

    @Test
    void aManifestLargerThanTheLimit() throws IOException {
        Path pack = folderPack("big-manifest");
        try (OutputStream out = Files.newOutputStream(pack.resolve("manifest.json"))) {
            out.write('{');
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 5; i++) {
                out.write(spaces);
            }
            out.write('}');
        }
        refusedPlainly(pack);
        assertThat(cli.run("pack", "verify", pack.toString())).isEqualTo(SovereignCli.USER_ERROR);
        assertThat(cli.err()).contains("larger than");
    }

    @Test
    void anInstalledPackWhoseManifestBecameADirectoryIsListedDamagedAndRefusedAtLoad() throws IOException {
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", TINY_LLAMA.toString(), "--out", mpack.toString(), "--name", "tiny-llama"))
                .as(cli.err()).isZero();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString()))
                .as(cli.err()).isZero();
        Path manifest = home.resolve("packs").resolve("tiny-llama-1.0").resolve("manifest.json");
        Files.delete(manifest);
        Files.createDirectory(manifest);

        assertThat(cli.run("pack", "list")).as(cli.err()).isZero();
        assertThat(cli.out()).doesNotContain("files ok").contains("manifest.json");
        assertThat(cli.run("generate", "--pack", "tiny-llama", "--prompt", "Hello", "--max-tokens", "2"))
                .isEqualTo(SovereignCli.USER_ERROR);
        assertThat(cli.err()).doesNotContain("Internal error");
        assertThat(cli.err().strip().lines()).hasSize(1);
        assertThat(cli.run("pack", "remove", "tiny-llama-1.0", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
    }

    private static void stored(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
