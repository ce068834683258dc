package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** The vault, consent and audit commands: the CLI contract other checks rely on, on a real vault file. */
class StoreCommandsTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "a long and private passphrase\n");
        Files.createDirectories(tmp.resolve("notes"));
    }


    private void init() {
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1",
                "--no-default-pack")).as(cli.err()).isZero();
    }

    @Test
    void aRecoveryKeyPrintedAtInitSetsANewPassphraseAndATypoChangesNothing() throws Exception {
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1",
                "--no-default-pack", "--recovery-key")).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Recovery key (shown only this once):", "Anyone who has it can set a new");
        String key = cli.out().replaceAll("(?s).*\\n  ([0-9A-Z]{4}(-[0-9A-Z]{4}){13})\\n.*", "$1");
        assertThat(key).matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){13}");
        Path newPass = Files.writeString(tmp.resolve("new-pass"), "another long private passphrase\n");

        char[] typo = key.toCharArray();
        typo[0] = typo[0] == 'A' ? 'B' : 'A';
        Path typoFile = Files.writeString(tmp.resolve("typo"), new String(typo) + "\n");
        assertThat(cli.run("vault", "recover", "--recovery-key-file", typoFile.toString(), "--new-passphrase-file", newPass.toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("typo", "Nothing was changed");
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pass.toString())).as(cli.err()).isZero();

        Path keyFile = Files.writeString(tmp.resolve("key"), key.toLowerCase() + "\n");
        assertThat(cli.run("vault", "recover", "--recovery-key-file", keyFile.toString(), "--new-passphrase-file", newPass.toString()))
                .as(cli.err()).isZero();
        assertThat(cli.out()).contains("A new passphrase is set");
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", newPass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("audit", "show", "--type", "vault.passphrase_recovered")).isZero();
        assertThat(cli.out()).contains("vault.passphrase_recovered");

        assertThat(cli.run("vault", "recovery-key", "--remove", "--passphrase-file", newPass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Recovery key removed");
        assertThat(cli.run("vault", "recover", "--recovery-key-file", keyFile.toString(), "--new-passphrase-file", pass.toString()))
                .isEqualTo(1);
        assertThat(cli.err()).contains("has no recovery key");
    }

    @Test
    void consentLifecycleWithReceiptsAndProofs() throws Exception {
        init();
        assertThat(cli.out()).contains("Vault created.", "Device fingerprint:", "Audit log key:      sovereign-device-");

        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,embed,generate", "--source", tmp.resolve("notes").toString(), "--valid-days", "30"))
                .as(cli.err()).isZero();
        String id = cli.out().strip();
        assertThat(id).matches("[0-9a-f-]{36}");

        assertThat(cli.run("consent", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains(id, "given", "index,embed,generate");

        Path receipt = tmp.resolve("receipt.json");
        assertThat(cli.run("consent", "export", id, "--out", receipt.toString(), "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.run("consent", "verify", receipt.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Valid receipt for consent " + id, "status now given");

        assertThat(cli.run("consent", "withdraw", id, "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.run("consent", "withdraw", id, "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("Consent " + id + " is already withdrawn.");

        assertThat(cli.run("audit", "verify")).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("The audit log holds:");
        assertThat(cli.run("audit", "show", "--type", "consent.withdrawn")).isZero();
        assertThat(cli.out()).contains("consent.withdrawn", "consent=" + id);

        Path proof = tmp.resolve("proof.txt");
        assertThat(cli.run("audit", "proof", "2", "--out", proof.toString())).isZero();
        String key = cli.out().replaceAll("(?s).*--key (\\S+).*", "$1");
        assertThat(Files.readString(proof)).startsWith("c2sp.org/tlog-proof@v1");
        assertThat(cli.run("audit", "verify-proof", proof.toString(), "--key", key)).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("The proof holds: entry 2 (consent.given");
    }

    @Test
    void anEmptiedLogPassesThePublicCheckButNotTheCheckWithThePassphrase() throws Exception {
        init();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM audit_entry");
            st.executeUpdate("DELETE FROM audit_checkpoint");
        }
        Files.delete(home.resolve("vault.db.checkpoint"));

        assertThat(cli.run("audit", "verify")).as("public data cannot tell").isZero();
        assertThat(cli.run("audit", "verify", "--unlock", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("does NOT verify", "the vault's own record says");
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("entries were removed or an older log was put back");
    }

    @Test
    void aTamperedLogFailsVerificationWithExitCodeOne() throws Exception {
        init();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE audit_entry SET entry = replace(entry, 'vault.created', 'vault.createx') WHERE seq = 0");
        }

        assertThat(cli.run("audit", "verify")).isEqualTo(1);
        assertThat(cli.err()).contains("does NOT verify", "Audit entry 0 was changed after it was written.");
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("Audit entry 0 was changed after it was written.");
    }

    @Test
    void badInputIsOneLineAndExitCodeOne() throws Exception {
        init();
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not it");

        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", wrong.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("The passphrase is wrong (or the vault header has been altered). Nothing was changed.");

        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("A vault exists already in this data directory. Nothing was changed.");

        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "p", "--operations", "index,fly",
                "--source", "/tmp")).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("Unknown operation 'fly'; expected one of index, embed, generate, share.");

        assertThat(cli.run("consent", "verify", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("This file is not a consent receipt (not JSON).");

        assertThat(cli.run("audit", "proof", "999", "--out", tmp.resolve("p").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("There is no audit entry 999");
        assertThat(tmp.resolve("p")).doesNotExist();
    }

    @Test
    void backupAndRollbackProtection() throws Exception {
        init();
        Path backup = tmp.resolve("vault.backup");
        assertThat(cli.run("vault", "backup", backup.toString(), "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("vault", "unlock-check", "--passphrase-file", pass.toString())).isZero();

        assertThat(cli.run("vault", "restore", backup.toString(), "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("older than the vault's last audit checkpoint", "Nothing was restored");
        assertThat(cli.run("audit", "verify")).isZero();

        assertThat(cli.run("vault", "restore", backup.toString(), "--passphrase-file", pass.toString(), "--accept-rollback"))
                .as(cli.err()).isZero();
        assertThat(cli.run("audit", "verify")).isZero();
        assertThat(cli.run("audit", "show", "--type", "audit.reanchored")).isZero();
        assertThat(cli.out()).contains("audit.reanchored");
        try (var files = Files.list(home)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("vault.db.before-restore-"))
                    .noneMatch(n -> n.startsWith("vault.db.restoring"));
        }

        // a vault open elsewhere (here: this JVM, as the window would hold it) is not replaced under it
        long setAside;
        try (var files = Files.list(home)) {
            setAside = files.filter(p -> p.getFileName().toString().startsWith("vault.db.before-restore-")).count();
        }
        try (LocalStore open = LocalStore.unlock(home, "a long and private passphrase".toCharArray(), Clock.systemUTC())) {
            assertThat(cli.run("vault", "restore", backup.toString(), "--passphrase-file", pass.toString(), "--accept-rollback"))
                    .isEqualTo(1);
            assertThat(cli.err()).contains("is in use by another Sovereign process");
            assertThat(open.verifyAudit().holds()).isTrue();
        }
        assertThat(cli.run("audit", "verify")).as(cli.err()).isZero();
        try (var files = Files.list(home)) {
            assertThat(files.filter(p -> p.getFileName().toString().startsWith("vault.db.before-restore-")).count())
                    .as("the open vault was not moved aside").isEqualTo(setAside);
        }
    }

}
