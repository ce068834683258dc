package org.sovereign.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.bundle.MeshBundles;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign mesh export} and {@code mesh import} between two workstations' data directories, no network. */
class MeshBundleCommandTest {
    private static final String PASSPHRASE = "a long and private passphrase";

    @TempDir
    Path tmp;
    private Path pass;
    private CliRun a;
    private CliRun b;

    @BeforeEach
    void setUp() throws Exception {
        pass = Files.writeString(tmp.resolve("pass"), PASSPHRASE + "\n");
        a = new CliRun(tmp.resolve("a"));
        b = new CliRun(tmp.resolve("b"));
        for (CliRun cli : new CliRun[]{a, b}) {
            assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                    "--argon2-iterations", "1", "--no-default-pack")).as(cli.err()).isZero();
        }
    }

    private String writeRecordsAndGrantShare(Path home, int records) {
        try (LocalStore store = LocalStore.unlock(home, PASSPHRASE.toCharArray(), Clock.systemUTC())) {
            MeshLog log = MeshBundles.open(store, "coop-usb", Clock.systemUTC());
            for (int i = 0; i < records; i++) {
                log.append("note", 1, JsonNodeFactory.instance.objectNode().put("text", "field note " + i));
            }
            return ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE).grantIn(store);
        }
    }

    @Test
    void aBundleCarriedFromOneWorkstationToAnotherIsImportedOnceAndAnAlteredCopyIsRefused() throws Exception {
        String consent = writeRecordsAndGrantShare(tmp.resolve("a"), 2);
        Path bundle = tmp.resolve("stick").resolve("for-b.bundle");
        Files.createDirectories(bundle.getParent());

        assertThat(a.run("mesh", "export", "--since", "all", "--out", bundle.toString(), "--consent", consent,
                "--coop", "coop-usb", "--passphrase-file", pass.toString())).as(a.err()).isZero();
        assertThat(a.out()).startsWith("Exported 2 records of 1 member's log to " + bundle)
                .contains("made for everyone).", "SHA-256: ");

        assertThat(b.run("mesh", "import", bundle.toString(), "--coop", "coop-usb", "--passphrase-file",
                pass.toString())).as(b.err()).isZero();
        assertThat(b.out()).contains(": 2 records, signatures and chains valid.", "Added 2 new, 0 already held.");
        assertThat(b.run("mesh", "import", bundle.toString(), "--coop", "coop-usb", "--passphrase-file",
                pass.toString())).as(b.err()).isZero();
        assertThat(b.out()).contains("Added 0 new, 2 already held.");

        byte[] bytes = Files.readAllBytes(bundle);
        bytes[bytes.length - 25] ^= 0x01;
        Path altered = Files.write(tmp.resolve("altered.bundle"), bytes);
        assertThat(b.run("mesh", "import", altered.toString(), "--coop", "coop-usb", "--passphrase-file",
                pass.toString())).isEqualTo(1);
        assertThat(b.err()).contains("The bundle's records do not match its manifest (their SHA-256 differs): they "
                + "were altered after export. Nothing of it was imported.").doesNotContain("Exception");

        assertThat(b.run("audit", "show", "--limit", "50")).isZero();
        assertThat(b.out()).contains(MeshBundles.AUDIT_IMPORTED, MeshBundles.AUDIT_REJECTED);
        assertThat(a.run("audit", "show", "--limit", "50")).isZero();
        assertThat(a.out()).contains(MeshBundles.AUDIT_EXPORTED);
    }

    @Test
    void exportRefusesWithoutAShareConsentAndForAMemberNeverSeen() {
        String consent = writeRecordsAndGrantShare(tmp.resolve("a"), 1);
        Path bundle = tmp.resolve("x.bundle");

        assertThat(a.run("mesh", "export", "--since", "0123456789", "--out", bundle.toString(), "--consent", consent,
                "--coop", "coop-usb", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(a.err()).contains("No heads were seen from a member whose key starts with 0123456789, so what it "
                + "lacks is not known. Export everything with --since all.");

        assertThat(a.run("mesh", "export", "--since", "all", "--out", bundle.toString(), "--consent", "nope",
                "--coop", "coop-usb", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(a.err()).contains("There is no consent nope. Give one with 'sovereign consent grant --purpose mesh");
        assertThat(a.run("mesh", "import", bundle.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(a.err()).contains("This workstation has not joined a cooperative; name it with --coop ID.");
        assertThat(bundle).doesNotExist();
    }
}
