package org.sovereign.store.vault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.vault.VaultTestSupport.FAST;
import static org.sovereign.store.vault.VaultTestSupport.pass;

class VaultBackupTest {
    @TempDir
    Path dir;
    Path file;
    Path backup;
    long smallItem;
    long bigItem;
    byte[] big;
    String fingerprint;

    @BeforeEach
    void createVaultAndBackup() {
        file = dir.resolve("vault.db");
        backup = dir.resolve("backups/vault.svbk");
        big = new byte[2_500_000];
        new Random(3).nextBytes(big);
        try (Vault vault = Vault.create(file, pass(), FAST); VaultSession s = vault.unlock(pass())) {
            long scope = s.createScope("source").id();
            smallItem = s.putItem(scope, "note", "backed up".getBytes(UTF_8));
            bigItem = s.putItem(scope, "blob", big);
            fingerprint = vault.deviceIdentity().fingerprint();
            backupDir();
            s.backupTo(backup);
        }
    }

    private void backupDir() {
        try {
            Files.createDirectories(backup.getParent());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void restoresAnIdenticalVaultWithTheOriginalPassphrase() throws Exception {
        byte[] raw = Files.readAllBytes(backup);
        assertThat(VaultTestSupport.indexOf(raw, "SQLite format 3".getBytes(UTF_8))).isEqualTo(-1);
        assertThat(VaultTestSupport.indexOf(raw, "vault_header".getBytes(UTF_8))).isEqualTo(-1);

        Path restored = dir.resolve("restored/vault.db");
        Files.createDirectories(restored.getParent());
        VaultBackup.restore(backup, pass(), restored);
        try (Vault vault = Vault.open(restored); VaultSession s = vault.unlock(pass())) {
            assertThat(s.readItem(smallItem)).hasValueSatisfying(b -> assertThat(b).isEqualTo("backed up".getBytes(UTF_8)));
            assertThat(s.readItem(bigItem)).hasValueSatisfying(b -> assertThat(b).isEqualTo(big));
            assertThat(vault.deviceIdentity().fingerprint()).isEqualTo(fingerprint);
        }
        try (Stream<Path> left = Files.list(restored.getParent())) {
            assertThat(left).extracting(p -> p.getFileName().toString()).noneMatch(n -> n.contains(".tmp-"));
        }
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).extracting(p -> p.getFileName().toString()).noneMatch(n -> n.contains("backup-plain"));
        }
    }

    @Test
    void backupKeepsTheOldPassphraseAfterItIsChanged() throws Exception {
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            s.changePassphrase(pass(), "brand new".toCharArray());
        }
        Path restored = dir.resolve("r.db");
        assertThatThrownBy(() -> VaultBackup.restore(backup, "brand new".toCharArray(), restored))
                .isInstanceOf(WrongPassphraseException.class);
        assertThat(restored).doesNotExist();
        VaultBackup.restore(backup, pass(), restored);
        try (Vault vault = Vault.open(restored); VaultSession s = vault.unlock(pass())) {
            assertThat(s.readItem(smallItem)).isPresent();
        }
    }

    @Test
    void alteredOrTruncatedBackupsAreRefusedWithoutCreatingTheTarget() throws Exception {
        byte[] original = Files.readAllBytes(backup);
        Path restored = dir.resolve("r.db");

        byte[] flipped = original.clone();
        flipped[flipped.length - 100] ^= 0x40;
        Files.write(backup, flipped);
        assertThatThrownBy(() -> VaultBackup.restore(backup, pass(), restored)).isInstanceOf(TamperedDataException.class);
        assertThat(restored).doesNotExist();

        Files.write(backup, Arrays.copyOf(original, original.length - 1000));
        assertThatThrownBy(() -> VaultBackup.restore(backup, pass(), restored))
                .isInstanceOf(TamperedDataException.class).hasMessageContaining("truncated");
        assertThat(restored).doesNotExist();

        byte[] extended = Arrays.copyOf(original, original.length + 1);
        Files.write(backup, extended);
        assertThatThrownBy(() -> VaultBackup.restore(backup, pass(), restored))
                .isInstanceOf(TamperedDataException.class).hasMessageContaining("extra data");

        Files.write(backup, "not a backup at all".getBytes(UTF_8));
        assertThatThrownBy(() -> VaultBackup.restore(backup, pass(), restored))
                .isInstanceOf(CorruptVaultException.class).hasMessageContaining("not a Sovereign vault backup");
        assertThat(restored).doesNotExist();

        Files.write(backup, original);
        assertThatThrownBy(() -> VaultBackup.restore(backup, pass(), file))
                .isInstanceOf(VaultException.class).hasMessageContaining("refusing to overwrite");
        VaultBackup.restore(backup, pass(), restored);
        assertThat(restored).exists();
    }

    @Test
    void newBackupReplacesTheOldOneAtomically() throws Exception {
        byte[] first = Files.readAllBytes(backup);
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            s.backupTo(backup);
        }
        assertThat(Files.readAllBytes(backup)).isNotEqualTo(first);
        try (Stream<Path> left = Files.list(backup.getParent())) {
            assertThat(left).hasSize(1);
        }
    }
}
