package org.sovereign.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.MalformedRecoveryKeyException;
import org.sovereign.store.vault.VaultException;
import org.sovereign.store.vault.WrongPassphraseException;
import org.sovereign.store.vault.WrongRecoveryKeyException;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The optional recovery key: a second wrap of the master key under a random 256-bit secret shown once. */
class RecoveryKeyTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path home;

    private static char[] pass(String p) {
        return p.toCharArray();
    }

    private char[] createWithRecoveryKey() {
        try (LocalStore store = LocalStore.create(home, pass("old passphrase"), FAST, clock)) {
            long item = store.session().putItem(store.session().createScope("note").id(), "note", "kept".getBytes());
            assertThat(item).isPositive();
            return store.createRecoveryKey();
        }
    }

    private byte[] recoveryWrap() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
             PreparedStatement ps = c.prepareStatement("SELECT wrapped_master_key FROM vault_recovery WHERE id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    private List<String> auditTypes(LocalStore store) {
        return store.audit().entries(0, store.audit().size()).stream().map(AuditEntry::type).toList();
    }

    @Test
    void theRecoveryKeySetsANewPassphraseAndTheDataIsIntact() {
        char[] key = createWithRecoveryKey();
        assertThat(LocalStore.hasRecoveryKey(home)).isTrue();

        try (LocalStore store = LocalStore.recover(home, key, pass("new passphrase"), clock)) {
            assertThat(new String(store.session().readItem(1).orElseThrow())).isEqualTo("kept");
            assertThat(auditTypes(store)).contains(AuditTypes.VAULT_RECOVERY_KEY_CREATED)
                    .endsWith(AuditTypes.VAULT_PASSPHRASE_RECOVERED);
        }
        assertThatThrownBy(() -> LocalStore.unlock(home, pass("old passphrase"), clock)).isInstanceOf(WrongPassphraseException.class);
        try (LocalStore store = LocalStore.unlock(home, pass("new passphrase"), clock)) {
            assertThat(new String(store.session().readItem(1).orElseThrow())).isEqualTo("kept");
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    @Test
    void aTypoIsCaughtByTheChecksumAndNothingChanges() throws Exception {
        char[] key = createWithRecoveryKey();
        byte[] before = Files.readAllBytes(LocalStore.vaultFile(home));
        char[] typo = key.clone();
        typo[7] = typo[7] == 'A' ? 'B' : 'A';

        assertThatThrownBy(() -> LocalStore.recover(home, typo, pass("new passphrase"), clock))
                .isInstanceOf(MalformedRecoveryKeyException.class).hasMessageContaining("typo").hasMessageContaining("Nothing was changed");

        assertThat(Files.readAllBytes(LocalStore.vaultFile(home))).isEqualTo(before);
        LocalStore.unlock(home, pass("old passphrase"), clock).close();
    }

    @Test
    void anotherVaultsRecoveryKeyIsAClearErrorAndChangesNothing() throws Exception {
        createWithRecoveryKey();
        Path other = home.resolve("other");
        char[] foreign;
        try (LocalStore store = LocalStore.create(other, pass("x"), FAST, clock)) {
            foreign = store.createRecoveryKey();
        }
        byte[] before = Files.readAllBytes(LocalStore.vaultFile(home));

        assertThatThrownBy(() -> LocalStore.recover(home, foreign, pass("new passphrase"), clock))
                .isInstanceOf(WrongRecoveryKeyException.class).hasMessageContaining("does not open this vault");

        assertThat(Files.readAllBytes(LocalStore.vaultFile(home))).isEqualTo(before);
        LocalStore.unlock(home, pass("old passphrase"), clock).close();
    }

    @Test
    void aFlippedByteInTheRecoveryWrapDoesNotDecrypt() throws Exception {
        char[] key = createWithRecoveryKey();
        byte[] wrap = recoveryWrap();
        for (int i : new int[] {0, 5, wrap.length / 2, wrap.length - 1}) {
            byte[] flipped = wrap.clone();
            flipped[i] ^= 0x01;
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
                 PreparedStatement ps = c.prepareStatement("UPDATE vault_recovery SET wrapped_master_key = ? WHERE id = 1")) {
                ps.setBytes(1, flipped);
                ps.executeUpdate();
            }
            assertThatThrownBy(() -> LocalStore.recover(home, key, pass("new passphrase"), clock))
                    .as("byte %d flipped", i).isInstanceOf(WrongRecoveryKeyException.class);
        }
        LocalStore.unlock(home, pass("old passphrase"), clock).close();
    }

    @Test
    void aRecoveryWrapMovedToAnotherVaultDoesNotOpenIt() throws Exception {
        char[] key = createWithRecoveryKey();
        byte[] wrap = recoveryWrap();
        String id;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
             PreparedStatement ps = c.prepareStatement("SELECT recovery_id FROM vault_recovery");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            id = rs.getString(1);
        }
        Path other = home.resolve("other");
        LocalStore.create(other, pass("x"), FAST, clock).close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(other));
             PreparedStatement ps = c.prepareStatement("INSERT INTO vault_recovery (id, recovery_id, wrapped_master_key, created_at) VALUES (1, ?, ?, 0)")) {
            ps.setString(1, id);
            ps.setBytes(2, wrap);
            ps.executeUpdate();
        }
        assertThatThrownBy(() -> LocalStore.recover(other, key, pass("new"), clock)).isInstanceOf(WrongRecoveryKeyException.class);
    }

    @Test
    void regeneratingReplacesTheOldKeyAndRemovingLeavesOnlyThePassphrase() {
        char[] first = createWithRecoveryKey();
        char[] second;
        try (LocalStore store = LocalStore.unlock(home, pass("old passphrase"), clock)) {
            second = store.createRecoveryKey();
        }
        assertThat(second).isNotEqualTo(first);
        assertThatThrownBy(() -> LocalStore.recover(home, first, pass("new"), clock)).isInstanceOf(WrongRecoveryKeyException.class);
        LocalStore.recover(home, second, pass("newer passphrase"), clock).close();

        try (LocalStore store = LocalStore.unlock(home, pass("newer passphrase"), clock)) {
            assertThat(store.removeRecoveryKey()).isTrue();
            assertThat(store.hasRecoveryKey()).isFalse();
            assertThat(auditTypes(store)).endsWith(AuditTypes.VAULT_RECOVERY_KEY_REMOVED);
        }
        assertThat(LocalStore.hasRecoveryKey(home)).isFalse();
        assertThatThrownBy(() -> LocalStore.recover(home, second, pass("new"), clock)).isInstanceOf(VaultException.class)
                .hasMessageContaining("has no recovery key");
        LocalStore.unlock(home, pass("newer passphrase"), clock).close();
    }

    @Test
    void changingThePassphraseKeepsTheRecoveryKeyWorking() {
        char[] key = createWithRecoveryKey();
        try (LocalStore store = LocalStore.unlock(home, pass("old passphrase"), clock)) {
            store.changePassphrase(pass("old passphrase"), pass("second"));
        }
        LocalStore.recover(home, key, pass("third"), clock).close();
        LocalStore.unlock(home, pass("third"), clock).close();
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }
}
