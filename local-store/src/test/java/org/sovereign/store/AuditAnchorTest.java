package org.sovereign.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.TamperedDataException;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Red-team findings against the audit log (issue 15): forging a log by deleting every checkpoint, and rolling it back
 * from inside the database. The vault's sealed audit anchor (size and root of the latest checkpoint, under the master
 * key) must catch both at unlock, and unlock must refuse rather than sign a fresh checkpoint over a forged log.
 */
class AuditAnchorTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path home;

    private static char[] pass() {
        return "correct horse battery staple".toCharArray();
    }

    private ConsentTerms terms(Path source) {
        Instant now = clock.instant();
        return new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation", List.of("private assistant"),
                List.of("dpv-pd:Document"), List.of(source.toString()), List.of(), EnumSet.of(Operation.INDEX, Operation.GENERATE),
                "EU", "P1Y", now.minusSeconds(1), now.plus(Duration.ofDays(30)), "Withdraw on the Consent screen",
                "Your notes will be indexed and used to answer your questions on this computer.", "en");
    }

    private String populated() {
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            String id = store.consent().grant(terms(home.resolve("notes"))).recordId();
            for (int i = 0; i < 5; i++) {
                store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "doc-" + i));
            }
            return id;
        }
    }

    private Connection raw() throws Exception {
        return DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(home));
    }

    private void execute(String sql) throws Exception {
        try (Connection c = raw(); Statement st = c.createStatement()) {
            st.executeUpdate(sql);
        }
    }

    private long count(String table) throws Exception {
        try (Connection c = raw(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
            return rs.getLong(1);
        }
    }

    private Path checkpointFile() {
        return CheckpointFile.beside(LocalStore.vaultFile(home)).path();
    }

    /** What the red team did: rewrite entry 3 and recompute its leaf hash (no key needed). */
    private void forgeEntry3() throws Exception {
        try (Connection c = raw()) {
            AuditEntry original;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT entry FROM audit_entry WHERE seq = 3")) {
                original = AuditEntry.parse(rs.getBytes(1));
            }
            byte[] forged = new AuditEntry(3, original.time(), original.type(), original.actor(),
                    Map.of("document", "something-else"), original.commitments()).toBytes();
            try (PreparedStatement ps = c.prepareStatement("UPDATE audit_entry SET entry = ?, leaf_hash = ? WHERE seq = 3")) {
                ps.setBytes(1, forged);
                ps.setBytes(2, MerkleHash.leaf(forged));
                ps.executeUpdate();
            }
        }
    }

    @Test
    void aForgedEntryWithEveryCheckpointDeletedIsRefusedByVerifyAndAtUnlockAndNothingIsSignedOverIt() throws Exception {
        populated();
        forgeEntry3();
        execute("DELETE FROM audit_checkpoint");
        Files.delete(checkpointFile());

        assertThat(LocalStore.verifyAudit(home).problems())
                .contains("The audit log has 7 entries but no signed checkpoint: its checkpoints were deleted.");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessage("The first 7 audit entries do not match the vault's own record of what was signed: the log was rewritten.");
        // refused, not re-signed: still no checkpoint anywhere, and no entry was added
        assertThat(count("audit_checkpoint")).isZero();
        assertThat(checkpointFile()).doesNotExist();
        assertThat(count("audit_entry")).isEqualTo(7);
    }

    @Test
    void deletingEveryCheckpointWithoutChangingAnEntryIsStillTampering() throws Exception {
        populated();
        execute("DELETE FROM audit_checkpoint");
        Files.delete(checkpointFile());

        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessage("The signed checkpoint of 7 entries that the vault's own record names is missing: checkpoints were deleted.");
    }

    @Test
    void emptyingTheWholeLogIsRefusedAtUnlock() throws Exception {
        populated();
        execute("DELETE FROM audit_entry");
        execute("DELETE FROM audit_checkpoint");
        Files.delete(checkpointFile());

        // public data alone cannot tell this from a vault that never logged anything; the sealed record can
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
        assertThat(LocalStore.verifyAudit(home, pass()).problems()).containsExactly("The audit log has 0 entries but"
                + " the vault's own record says 7 were signed: entries were removed or an older log was put back.");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessage("The audit log has 0 entries but the vault's own record says 7 were signed: "
                        + "entries were removed or an older log was put back.");
        assertThat(count("audit_entry")).isZero();
    }

    @Test
    void deletingOrAlteringTheVaultsOwnRecordIsRefused() throws Exception {
        populated();
        byte[] original = Files.readAllBytes(LocalStore.vaultFile(home));

        execute("DELETE FROM audit_anchor");
        assertThat(LocalStore.verifyAudit(home, pass()).problems()).singleElement().asString()
                .contains("own record of its audit log is missing");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessageContaining("own record of its audit log is missing");

        Files.write(LocalStore.vaultFile(home), original);
        execute("UPDATE audit_anchor SET sealed = substr(sealed, 1, 20) || x'00' || substr(sealed, 22)");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessageContaining("own record of its audit log failed its integrity check");

        // and setting the header back to the format that had no record needs the passphrase to go unnoticed
        Files.write(LocalStore.vaultFile(home), original);
        execute("DELETE FROM audit_anchor");
        execute("UPDATE vault_header SET format_version = 1");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(TamperedDataException.class)
                .hasMessageContaining("set back to an older format");

        Files.write(LocalStore.vaultFile(home), original);
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.audit().size()).isEqualTo(8);
        }
    }

    @Test
    void truncatingTheLogAndPuttingBackAnOlderCheckpointDoesNotReviveAWithdrawnConsent() throws Exception {
        String id = populated();
        byte[] olderNote = Files.readAllBytes(checkpointFile()); // a genuine checkpoint of 7 entries
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.consent().withdraw(id).latest().status()).isEqualTo(ConsentStatus.WITHDRAWN);
        }
        // the attack: drop the withdrawal (its event and everything logged since) and put the older note back
        execute("DELETE FROM consent_event WHERE sequence > 0");
        execute("DELETE FROM audit_entry WHERE seq >= 7");
        execute("DELETE FROM audit_checkpoint WHERE size > 7");
        Files.write(checkpointFile(), olderNote);

        assertThat(LocalStore.verifyAudit(home, pass()).holds()).isFalse();
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessageContaining("the vault's own record says")
                .hasMessageContaining("entries were removed or an older log was put back");
    }

    @Test
    void aRollbackOfTheWholeVaultFileTogetherWithItsCheckpointFileIsNotDetectableLocally() throws Exception {
        // the documented limit (docs/threat-model.md): an older copy of every file is a consistent older vault
        String id = populated();
        Path saved = Files.createDirectory(home.resolve("older"));
        Files.copy(LocalStore.vaultFile(home), saved.resolve("vault.db"));
        Files.copy(checkpointFile(), saved.resolve("vault.db.checkpoint"));
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.consent().withdraw(id);
        }
        Files.copy(saved.resolve("vault.db"), LocalStore.vaultFile(home), StandardCopyOption.REPLACE_EXISTING);
        Files.copy(saved.resolve("vault.db.checkpoint"), checkpointFile(), StandardCopyOption.REPLACE_EXISTING);

        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.consent().require(new ConsentRequest("private assistant", Operation.GENERATE,
                    List.of(home.resolve("notes/a.md")), null)).recordId()).isEqualTo(id);
        }
    }

    @Test
    void theRecordFollowsEveryCheckpointSoAnHonestVaultKeepsOpening() throws Exception {
        String id = populated();
        for (int round = 0; round < 3; round++) {
            try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
                for (int i = 0; i < 20; i++) {
                    store.record(AuditTypes.INFERENCE, Map.of("round", Integer.toString(round)));
                }
                assertThat(store.session().auditAnchor()).hasValueSatisfying(a ->
                        assertThat(a.size()).isLessThanOrEqualTo(store.audit().size()));
                store.audit().flush();
                assertThat(store.session().auditAnchor()).hasValueSatisfying(a -> assertThat(a.size()).isEqualTo(store.audit().size()));
            }
        }
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.consent().withdraw(id);
            assertThatThrownBy(() -> store.consent().require(new ConsentRequest("private assistant", Operation.GENERATE,
                    List.of(home.resolve("notes/a.md")), null))).isInstanceOf(ConsentRefusedException.class);
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
        long entries = LocalStore.verifyAudit(home).size();
        assertThat(LocalStore.verifyAudit(home, pass()).holds()).isTrue();
        assertThat(LocalStore.verifyAudit(home).size()).as("verifying with the passphrase records nothing").isEqualTo(entries);
    }
}
