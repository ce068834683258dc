package org.sovereign.store.vault;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.vault.crypto.Aead;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KeyMaterial;
import org.sovereign.store.vault.crypto.KeyWrap;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.store.vault.VaultTestSupport.FAST;
import static org.sovereign.store.vault.VaultTestSupport.pass;

/**
 * A vault made before audit anchors (header format 1, schema 5) gets its anchor at the first unlock after the upgrade,
 * trusting the log it finds then; from then on deleting its checkpoints is refused like in a new vault.
 */
class AuditAnchorUpgradeTest {

    @TempDir
    Path home;
    Path file;
    char[] recoveryKey;

    @BeforeEach
    void legacyVault() throws Exception {
        file = LocalStore.vaultFile(home);
        try (LocalStore store = LocalStore.create(home, pass(), FAST, Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) {
                store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "doc-" + i));
            }
            recoveryKey = store.createRecoveryKey();
        }
        makeLegacy(file);
    }

    /** Turns a current vault into what the previous release wrote: format-1 wrap, no anchor table, schema 5. */
    static void makeLegacy(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            VaultHeader header = VaultHeader.read(c);
            KeyWrap keyWrap = new KeyWrap(new Aead(new SecureRandom()));
            byte[] legacyWrap;
            try (KeyMaterial kek = Argon2idKdf.deriveKey(pass(), header.salt(), header.kdf());
                 KeyMaterial master = keyWrap.unwrap(kek, header.wrappedMasterKey(), VaultHeader.MASTER_KEY_ID,
                         VaultHeader.MASTER_KEY_PURPOSE, header.binding())) {
                legacyWrap = keyWrap.wrap(kek, master, VaultHeader.MASTER_KEY_ID, VaultHeader.MASTER_KEY_PURPOSE,
                        VaultHeader.binding(1, header.kdf(), header.salt()));
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE vault_header SET format_version = 1, wrapped_master_key = ?")) {
                ps.setBytes(1, legacyWrap);
                ps.executeUpdate();
            }
            try (var st = c.createStatement()) {
                st.execute("DROP TABLE audit_anchor");
                st.execute("PRAGMA user_version = 5");
            }
        }
    }

    private int formatVersion() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath())) {
            return VaultHeader.read(c).formatVersion();
        }
    }

    @Test
    void theFirstUnlockAfterTheUpgradeRecordsTheAnchorAndLaterDeletionsAreRefused() throws Exception {
        assertThat(formatVersion()).isEqualTo(1);
        try (LocalStore store = LocalStore.unlock(home, pass(), Clock.systemUTC())) {
            assertThat(store.session().auditAnchor()).hasValueSatisfying(a -> assertThat(a.size()).isGreaterThanOrEqualTo(6));
            assertThat(store.audit().size()).isEqualTo(8); // created, 5 documents, recovery key, unlocked
        }
        assertThat(formatVersion()).isEqualTo(2);
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();

        VaultTestSupport.sql(file, "DELETE FROM audit_entry", "DELETE FROM audit_checkpoint");
        Files.delete(CheckpointFile.beside(file).path());
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), Clock.systemUTC())).isInstanceOf(AuditTamperedException.class)
                .hasMessageContaining("the vault's own record says");
    }

    @Test
    void recoveringTheLegacyVaultWithItsRecoveryKeyAlsoUpgradesIt() throws Exception {
        try (LocalStore store = LocalStore.recover(home, recoveryKey, "a new passphrase".toCharArray(), Clock.systemUTC())) {
            assertThat(store.session().auditAnchor()).isPresent();
        }
        assertThat(formatVersion()).isEqualTo(2);
        try (LocalStore store = LocalStore.unlock(home, "a new passphrase".toCharArray(), Clock.systemUTC())) {
            assertThat(store.audit().size()).isEqualTo(9);
        }
    }

    @Test
    void aWrongPassphraseOnALegacyVaultChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(file);
        try (Vault vault = Vault.open(file)) {
            byte[] migrated = Files.readAllBytes(file); // opening applies the schema migration, not the upgrade
            assertThatThrownBy(() -> vault.unlock("wrong".toCharArray())).isInstanceOf(WrongPassphraseException.class);
            assertThat(Files.readAllBytes(file)).isEqualTo(migrated);
        }
        assertThat(formatVersion()).isEqualTo(1);
        assertThat(before).isNotEmpty();
    }
}
