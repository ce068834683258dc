package org.sovereign.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultInUseException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Red-team finding (issue 15): two processes on one data directory at once gave a primary-key error and a false
 * "database was truncated" alarm. One exclusive lock per vault: the second opener, in another JVM or in this one, is
 * told plainly that the vault is in use, and the vault stays intact.
 */
class VaultLockTest {

    private static final String IN_USE = "is in use by another Sovereign process";
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path home;

    private void createVault() {
        try (LocalStore store = LocalStore.create(home, LockChild.PASSPHRASE.clone(), LockChild.FAST, clock)) {
            store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "first"));
        }
    }

    private Process child(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path"), LockChild.class.getName(), home.toString(), mode));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    private static String firstLine(Process p) throws IOException {
        String line = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertThat(line).as("the child's first line (it exited early?)").isNotNull();
        return line;
    }

    private static void awaitExit(Process p) throws InterruptedException {
        if (!p.waitFor(120, TimeUnit.SECONDS)) { // a guard against a hung child, not a timing assertion
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondProcessIsToldTheVaultIsInUseAndTheVaultStaysIntact() throws Exception {
        createVault();
        Process holder = child("hold");
        try {
            assertThat(firstLine(holder)).isEqualTo("open 4"); // created, first, unlocked, from-child

            // this JVM as the second process: every way in is refused, nothing is written
            assertThatThrownBy(() -> LocalStore.unlock(home, LockChild.PASSPHRASE.clone(), clock))
                    .isInstanceOf(VaultInUseException.class).hasMessageContaining(IN_USE);
            assertThatThrownBy(() -> LocalStore.verifyAudit(home)).isInstanceOf(VaultInUseException.class);
            assertThatThrownBy(() -> Vault.open(LocalStore.vaultFile(home))).isInstanceOf(VaultInUseException.class);
            // and a third process
            Process third = child("try");
            String answer = firstLine(third);
            awaitExit(third);
            assertThat(answer).startsWith("in-use ").contains(IN_USE);

            try (Writer w = new OutputStreamWriter(holder.getOutputStream(), StandardCharsets.UTF_8)) {
                w.write("close\n");
            }
            awaitExit(holder);
            assertThat(holder.exitValue()).isZero();
        } finally {
            holder.destroyForcibly();
        }

        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
        try (LocalStore store = LocalStore.unlock(home, LockChild.PASSPHRASE.clone(), clock)) {
            assertThat(store.audit().size()).isEqualTo(5);
            assertThat(store.verifyAudit().holds()).isTrue();
        }
    }

    @Test
    void theLockGoesWithAKilledProcess() throws Exception {
        createVault();
        Process holder = child("hold");
        try {
            assertThat(firstLine(holder)).startsWith("open ");
        } finally {
            holder.destroyForcibly(); // SIGKILL: no close, no release by the child
            awaitExit(holder);
        }
        try (LocalStore store = LocalStore.unlock(home, LockChild.PASSPHRASE.clone(), clock)) {
            assertThat(store.verifyAudit().holds()).isTrue();
        }
    }

    @Test
    void inOneProcessASecondHandleIsRefusedButVerifyGoesThroughTheOpenStore() throws Exception {
        createVault();
        try (LocalStore store = LocalStore.unlock(home, LockChild.PASSPHRASE.clone(), clock)) {
            assertThatThrownBy(() -> LocalStore.unlock(home, LockChild.PASSPHRASE.clone(), clock))
                    .isInstanceOf(VaultInUseException.class).hasMessageContaining(IN_USE);
            assertThatThrownBy(() -> Vault.open(LocalStore.vaultFile(home))).isInstanceOf(VaultInUseException.class);
            // the same vault through a symbolic link to its directory is the same vault
            Path link = Files.createSymbolicLink(home.resolveSibling(home.getFileName() + "-link"), home);
            try {
                assertThatThrownBy(() -> Vault.open(LocalStore.vaultFile(link))).isInstanceOf(VaultInUseException.class);
            } finally {
                Files.delete(link);
            }
            // the refused attempts did not disturb the open store
            store.record(AuditTypes.INFERENCE, Map.of());
            assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
            assertThat(LocalStore.hasRecoveryKey(home)).isFalse();
            Process other = child("try");
            String answer = firstLine(other);
            awaitExit(other);
            assertThat(answer).startsWith("in-use ");
        }
        try (Vault vault = Vault.open(LocalStore.vaultFile(home))) {
            assertThat(vault.auditStore().size()).isEqualTo(4);
        }
    }
}
