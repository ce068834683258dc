package org.sovereign.store.vault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.vault.VaultTestSupport.pass;

/** Attacks on the vault file: each must fail loudly, with a typed exception, and lose nothing. */
class VaultAdversarialTest {
    private static final KdfParams STORED = new KdfParams(KdfParams.MIN_MEMORY_KIB * 2, 2, 1);

    @TempDir
    Path dir;
    Path file;
    long scopeId;
    long firstItem;
    long secondItem;

    @BeforeEach
    void createVault() {
        file = dir.resolve("vault.db");
        try (Vault vault = Vault.create(file, pass(), STORED); VaultSession s = vault.unlock(pass())) {
            scopeId = s.createScope("source").id();
            firstItem = s.putItem(scopeId, "note", "first secret".getBytes(UTF_8));
            secondItem = s.putItem(scopeId, "note", "second secret".getBytes(UTF_8));
        }
    }

    @Test
    void wrongPassphraseFailsPlainlyAndLeavesTheFileByteForByteUnchanged() throws Exception {
        byte[] before = Files.readAllBytes(file);
        try (Vault vault = Vault.open(file)) {
            assertThatThrownBy(() -> vault.unlock("correct horse battery stapler".toCharArray()))
                    .isInstanceOf(WrongPassphraseException.class)
                    .hasMessage("The passphrase is wrong (or the vault header has been altered). Nothing was changed.");
        }
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertReadable();
    }

    @Test
    void loweredOrAlteredKdfSettingsInTheHeaderMakeUnlockFail() throws Exception {
        String[] attacks = {
            "UPDATE vault_header SET kdf_iterations = 1",
            "UPDATE vault_header SET kdf_memory_kib = " + KdfParams.MIN_MEMORY_KIB,
            "UPDATE vault_header SET kdf_parallelism = 2",
            "UPDATE vault_header SET kdf_salt = zeroblob(16)",
        };
        for (String attack : attacks) {
            byte[] original = Files.readAllBytes(file);
            VaultTestSupport.sql(file, attack);
            try (Vault vault = Vault.open(file)) {
                assertThatThrownBy(() -> vault.unlock(pass())).as(attack).isInstanceOf(WrongPassphraseException.class);
            }
            Files.write(file, original);
        }
        assertReadable();
    }

    @Test
    void kdfSettingsBelowTheFloorAreRefusedBeforeAnyDerivation() throws Exception {
        VaultTestSupport.sql(file, "UPDATE vault_header SET kdf_memory_kib = 64");
        assertThatThrownBy(() -> Vault.open(file)).isInstanceOf(TamperedDataException.class)
                .hasMessageContaining("weaker than this workstation allows");
        VaultTestSupport.sql(file, "UPDATE vault_header SET kdf_memory_kib = 16384, kdf_iterations = 0");
        assertThatThrownBy(() -> Vault.open(file)).isInstanceOf(TamperedDataException.class)
                .hasMessageContaining("invalid");
        VaultTestSupport.sql(file, "UPDATE vault_header SET kdf_iterations = 2, format_version = 3");
        assertThatThrownBy(() -> Vault.open(file)).isInstanceOf(CorruptVaultException.class)
                .hasMessageContaining("unknown format version 3");
        VaultTestSupport.sql(file, "UPDATE vault_header SET format_version = 2");
        assertReadable();
    }

    @Test
    void ciphertextMovedToAnotherRowFailsWithTamperedDataAndTheOriginalSurvives() throws Exception {
        byte[] first = VaultTestSupport.blob(file, "SELECT ciphertext FROM item WHERE id = " + firstItem);
        VaultTestSupport.setBlob(file, "UPDATE item SET ciphertext = ? WHERE id = " + secondItem, first);
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThatThrownBy(() -> s.readItem(secondItem)).isInstanceOf(TamperedDataException.class)
                    .hasMessageContaining("item row " + secondItem)
                    .hasMessageContaining("moved there from another row, column, table or scope");
            assertThat(s.readItem(firstItem)).hasValueSatisfying(b -> assertThat(b).isEqualTo("first secret".getBytes(UTF_8)));
        }
    }

    @Test
    void ciphertextMovedToAnotherScopeOrWithAlteredMetadataFails() throws Exception {
        long otherItem;
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            otherItem = s.putItem(s.createScope("source").id(), "note", "x".getBytes(UTF_8));
        }
        VaultTestSupport.sql(file, "UPDATE item SET scope_id = (SELECT scope_id FROM item WHERE id = " + otherItem
                + ") WHERE id = " + firstItem, "UPDATE item SET size = 3 WHERE id = " + secondItem);
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThatThrownBy(() -> s.readItem(firstItem)).isInstanceOf(TamperedDataException.class);
            assertThatThrownBy(() -> s.readItem(secondItem)).isInstanceOf(TamperedDataException.class)
                    .hasMessageContaining("recorded size");
        }
    }

    @Test
    void swappedScopeKeysAreDetected() throws Exception {
        long other;
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            other = s.createScope("source").id();
        }
        byte[] a = VaultTestSupport.blob(file, "SELECT wrapped_key FROM scope WHERE id = " + scopeId);
        VaultTestSupport.setBlob(file, "UPDATE scope SET wrapped_key = ? WHERE id = " + other, a);
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThatThrownBy(() -> s.encrypt(other, new CellAddress("t", 1, "c"), new byte[1]))
                    .isInstanceOf(TamperedDataException.class).hasMessageContaining("scope record was altered");
        }
    }

    @Test
    void truncatedFileIsRefusedAndLeftAsItIs() throws Exception {
        long size = Files.size(file);
        assertThat(size).isGreaterThan(4096);
        byte[] original = Files.readAllBytes(file);
        for (long length : new long[] {size - 4096, size - 100, 4096 + 17, 50, 0}) {
            Files.write(file, Arrays.copyOf(original, (int) length));
            byte[] truncated = Files.readAllBytes(file);
            assertThatThrownBy(() -> Vault.open(file)).as("length " + length)
                    .isInstanceOf(CorruptVaultException.class)
                    .hasMessageMatching("The vault file (is truncated|is only).*");
            assertThat(Files.readAllBytes(file)).isEqualTo(truncated);
        }
        Files.write(file, original);
        assertReadable();
    }

    @Test
    void damagedPagesAreReportedAsCorruption() throws Exception {
        try (Vault vault = Vault.open(file)) {
            vault.checkIntegrity();
        }
        byte[] original = Files.readAllBytes(file);
        int pageSize = 4096;
        assertThat(original.length / pageSize).isGreaterThan(3);
        byte[] damaged = original.clone();
        for (int page = 1; page < damaged.length / pageSize; page++) {
            Arrays.fill(damaged, page * pageSize, page * pageSize + 12, (byte) 0x7F);
        }
        Files.write(file, damaged);
        assertThatThrownBy(() -> {
            try (Vault vault = Vault.open(file)) {
                vault.checkIntegrity();
            }
        }).isInstanceOf(CorruptVaultException.class).hasMessageContaining("damaged");
        Files.write(file, original);
        assertReadable();
    }

    @Test
    void fileFromANewerSchemaIsRefusedAndLeftUntouched() throws Exception {
        VaultTestSupport.sql(file, "PRAGMA user_version = 99");
        byte[] before = Files.readAllBytes(file);
        assertThatThrownBy(() -> Vault.open(file)).isInstanceOf(UnsupportedSchemaException.class)
                .hasMessageContaining("newer version")
                .hasMessageContaining("schema version 99")
                .hasMessageContaining("not modified");
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Files.exists(file.resolveSibling("vault.db-wal"))).isFalse();
    }

    @Test
    void foreignFilesAreRefused() throws Exception {
        Path garbage = dir.resolve("garbage.db");
        Files.write(garbage, new byte[8192]);
        assertThatThrownBy(() -> Vault.open(garbage)).isInstanceOf(CorruptVaultException.class)
                .hasMessageContaining("not a vault");
        Path plain = dir.resolve("plain.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + plain); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (x)");
            st.execute("PRAGMA user_version = 1");
        }
        byte[] before = Files.readAllBytes(plain);
        assertThatThrownBy(() -> Vault.open(plain)).isInstanceOf(CorruptVaultException.class)
                .hasMessage("This file is not a Sovereign vault.");
        assertThat(Files.readAllBytes(plain)).isEqualTo(before);
    }

    @Test
    void erasedScopeCannotBeDecryptedAndItsWrappedKeyIsGoneFromTheFile() throws Exception {
        long kept;
        byte[] cell;
        CellAddress address = new CellAddress("message", 1, "body");
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            kept = s.createScope("conversation").id();
            s.putItem(kept, "note", "unrelated".getBytes(UTF_8));
            cell = s.encrypt(scopeId, address, "to be shredded".getBytes(UTF_8));
        }
        byte[] wrappedKey = VaultTestSupport.blob(file, "SELECT wrapped_key FROM scope WHERE id = " + scopeId);
        byte[] itemCipher = VaultTestSupport.blob(file, "SELECT ciphertext FROM item WHERE id = " + firstItem);
        assertThat(VaultTestSupport.fileContains(file, wrappedKey)).as("grep works before erasure").isTrue();

        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            s.eraseScope(scopeId);
            assertThat(VaultTestSupport.fileContains(file, wrappedKey)).as("gone while still open").isFalse();
            assertThatThrownBy(() -> s.decrypt(scopeId, address, cell)).isInstanceOf(ScopeErasedException.class)
                    .hasMessage("Scope " + scopeId + " has been erased; its data can no longer be decrypted.");
            assertThat(s.readItem(firstItem)).isEmpty();
            assertThat(s.scope(scopeId).isErased()).isTrue();
            assertThat(s.items(kept)).hasSize(1);
            s.eraseScope(scopeId);
        }
        assertThat(VaultTestSupport.fileContains(file, wrappedKey)).isFalse();
        assertThat(VaultTestSupport.fileContains(file, itemCipher)).isFalse();

        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThatThrownBy(() -> s.decrypt(scopeId, address, cell)).isInstanceOf(ScopeErasedException.class);
            assertThatThrownBy(() -> s.putItem(scopeId, "note", new byte[1])).isInstanceOf(ScopeErasedException.class);
            assertThat(s.items(kept)).singleElement()
                    .satisfies(i -> assertThat(s.readItem(i.id())).hasValueSatisfying(
                            b -> assertThat(b).isEqualTo("unrelated".getBytes(UTF_8))));
        }
    }

    @Test
    void erasureAlsoWipesTheKeyCachedInOtherOpenSessions() {
        try (Vault vault = Vault.open(file)) {
            VaultSession a = vault.unlock(pass());
            VaultSession b = vault.unlock(pass());
            CellAddress cell = new CellAddress("t", 1, "c");
            byte[] ct = b.encrypt(scopeId, cell, new byte[] {1});
            a.eraseScope(scopeId);
            assertThatThrownBy(() -> b.decrypt(scopeId, cell, ct)).isInstanceOf(ScopeErasedException.class);
        }
    }

    @Test
    void flippedByteInTheWrappedMasterKeyLooksLikeAWrongPassphrase() throws Exception {
        byte[] wrapped = VaultTestSupport.blob(file, "SELECT wrapped_master_key FROM vault_header");
        wrapped[wrapped.length - 1] ^= 1;
        VaultTestSupport.setBlob(file, "UPDATE vault_header SET wrapped_master_key = ?", wrapped);
        try (Vault vault = Vault.open(file)) {
            assertThatThrownBy(() -> vault.unlock(pass())).isInstanceOf(WrongPassphraseException.class);
        }
    }

    private void assertReadable() {
        try (Vault vault = Vault.open(file); VaultSession s = vault.unlock(pass())) {
            assertThat(s.readItem(firstItem)).hasValueSatisfying(b -> assertThat(b).isEqualTo("first secret".getBytes(UTF_8)));
            assertThat(s.readItem(secondItem)).hasValueSatisfying(b -> assertThat(b).isEqualTo("second secret".getBytes(UTF_8)));
        }
    }
}
