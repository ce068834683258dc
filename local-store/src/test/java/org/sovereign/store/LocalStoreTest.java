package org.sovereign.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.checkpoint.OfflineProofVerifier;
import org.sovereign.store.audit.checkpoint.TlogProof;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.audit.note.Ed25519NoteSigner;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentService;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.CorruptVaultException;
import org.sovereign.store.vault.TamperedDataException;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.WrongPassphraseException;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The vault, consent and audit log working together on a real SQLite file, and what happens when it is tampered with. */
class LocalStoreTest {

    private static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
    private final Clock clock = Clock.systemUTC();

    @TempDir
    Path home;

    private char[] pass() {
        return "correct horse battery staple".toCharArray();
    }

    private ConsentTerms terms(Path source) {
        Instant now = clock.instant();
        return new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation", List.of("private assistant"),
                List.of("dpv-pd:Document"), List.of(source.toString()), List.of(), EnumSet.of(Operation.INDEX, Operation.GENERATE),
                "EU", "P1Y", now.minusSeconds(1), now.plus(Duration.ofDays(30)), "Withdraw on the Consent screen",
                "Your notes will be indexed and used to answer your questions on this computer.", "en");
    }

    /** A vault with a consent and a few audit entries, closed again. */
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

    @Test
    void everythingSurvivesAReopenAndTheLogVerifiesWithPublicDataOnly() {
        String id = populated();

        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.consent().require(new ConsentRequest("private assistant", Operation.GENERATE,
                    List.of(home.resolve("notes/today.md")), null)).recordId()).isEqualTo(id);
            List<AuditEntry> entries = store.audit().entries(0, store.audit().size());
            assertThat(entries).extracting(AuditEntry::type).containsExactly(AuditTypes.VAULT_CREATED, AuditTypes.CONSENT_GIVEN,
                    AuditTypes.DOCUMENT_INGESTED, AuditTypes.DOCUMENT_INGESTED, AuditTypes.DOCUMENT_INGESTED,
                    AuditTypes.DOCUMENT_INGESTED, AuditTypes.DOCUMENT_INGESTED, AuditTypes.VAULT_UNLOCKED);
            assertThat(entries.get(1).refs()).containsEntry("consent", id);
            assertThat(entries).extracting(AuditEntry::sequence).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
        }

        AuditLog.Verification v = LocalStore.verifyAudit(home);
        assertThat(v.holds()).as(String.join("; ", v.problems())).isTrue();
        assertThat(v.size()).isEqualTo(8);
    }

    @Test
    void aProofFileVerifiesOfflineWithTheVerifierKeyString() throws Exception {
        populated();
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            TlogProof proof = store.audit().proof(1);
            byte[] entry = store.audit().entries(1, 2).get(0).toBytes();
            String key = store.audit().logKey().encode();

            Checkpoint cp = OfflineProofVerifier.verifyEntry(proof.toBytes(), entry, List.of(key));

            assertThat(cp.size()).isEqualTo(store.audit().size());
            byte[] other = store.audit().entries(2, 3).get(0).toBytes();
            assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(proof.toBytes(), other, List.of(key)))
                    .isInstanceOf(Exception.class);
        }
    }

    @Test
    void withdrawingAConsentIsAuditedAndTheNextCheckIsRefused() {
        String id = populated();
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.consent().withdraw(id);
        }
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThatThrownBy(() -> store.consent().require(new ConsentRequest("private assistant", Operation.INDEX,
                    List.of(home.resolve("notes/a.md")), null))).isInstanceOf(ConsentRefusedException.class);
            assertThat(store.audit().entries(0, store.audit().size())).extracting(AuditEntry::type)
                    .contains(AuditTypes.CONSENT_WITHDRAWN);
        }
    }

    @Test
    void aReceiptProvesEveryEventIsInTheAuditLog() {
        String id = populated();
        byte[] receipt;
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.consent().withdraw(id);
            receipt = store.consentReceipt(id);
        }

        var verified = ConsentReceipt.verify(receipt, clock.instant());
        assertThat(verified.events()).hasSize(2);
        assertThat(verified.everyEventAudited()).isTrue();

        String text = new String(receipt, StandardCharsets.UTF_8);
        String firstProof = text.replaceAll("(?s).*\"auditProofs\" : \\[ \"([^\"]+)\".*", "$1");
        byte[] proof = Base64.getDecoder().decode(firstProof);
        proof[proof.length / 3] ^= 0x01;
        byte[] tampered = text.replace(firstProof, Base64.getEncoder().encodeToString(proof))
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ConsentReceipt.verify(tampered, clock.instant()))
                .isInstanceOf(InvalidConsentException.class)
                .hasMessageStartingWith("An audit proof in the receipt");
    }

    @Test
    void aConsentEventStoredWithoutItsAuditEntryGetsOneAtTheNextOpen() {
        String id;
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            // what a crash between the consent commit and the audit append leaves behind
            var noAudit = new ConsentService(store.session().consentStore(), store.signer(), clock, e -> { });
            id = noAudit.grant(terms(home.resolve("notes"))).recordId();
            assertThat(store.audit().entries(0, store.audit().size())).noneMatch(e -> id.equals(e.refs().get("consent")));
        }

        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.audit().entries(0, store.audit().size()))
                    .filteredOn(e -> id.equals(e.refs().get("consent")))
                    .singleElement()
                    .satisfies(e -> {
                        assertThat(e.type()).isEqualTo(AuditTypes.CONSENT_GIVEN);
                        assertThat(e.refs()).containsEntry("recovered", "true");
                    });
        }
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.audit().entries(0, store.audit().size())).filteredOn(e -> id.equals(e.refs().get("consent"))).hasSize(1);
        }
    }

    @Test
    void aWrongPassphraseChangesNothing() throws Exception {
        populated();
        byte[] before = Files.readAllBytes(LocalStore.vaultFile(home));

        assertThatThrownBy(() -> LocalStore.unlock(home, "wrong".toCharArray(), clock)).isInstanceOf(WrongPassphraseException.class);

        assertThat(Files.readAllBytes(LocalStore.vaultFile(home))).isEqualTo(before);
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    @Test
    void flippingOneByteOfAnAuditEntryIsFound() throws Exception {
        populated();
        try (Connection c = raw(); PreparedStatement read = c.prepareStatement("SELECT entry FROM audit_entry WHERE seq = 3");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            byte[] entry = rs.getBytes(1);
            entry[entry.length / 2] ^= 0x04;
            try (PreparedStatement write = c.prepareStatement("UPDATE audit_entry SET entry = ? WHERE seq = 3")) {
                write.setBytes(1, entry);
                write.executeUpdate();
            }
        }

        assertThat(LocalStore.verifyAudit(home).problems()).containsExactly("Audit entry 3 was changed after it was written.");
        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessage("Audit entry 3 was changed after it was written.");
    }

    @Test
    void deletingAnEntryIsFound() throws Exception {
        populated();
        execute("DELETE FROM audit_entry WHERE seq = 2");

        assertThat(LocalStore.verifyAudit(home).problems()).first().asString()
                .startsWith("Audit entry 2 is missing (found 3 in its place)");
    }

    @Test
    void reorderingTwoEntriesIsFound() throws Exception {
        populated();
        try (Connection c = raw()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.executeUpdate("CREATE TEMP TABLE swap AS SELECT seq, leaf_hash, entry FROM audit_entry WHERE seq IN (2, 3)");
                st.executeUpdate("UPDATE audit_entry SET leaf_hash = (SELECT leaf_hash FROM swap WHERE seq = 3), entry = (SELECT entry FROM swap WHERE seq = 3) WHERE seq = 2");
                st.executeUpdate("UPDATE audit_entry SET leaf_hash = (SELECT leaf_hash FROM swap WHERE seq = 2), entry = (SELECT entry FROM swap WHERE seq = 2) WHERE seq = 3");
            }
            c.commit();
        }

        assertThat(LocalStore.verifyAudit(home).problems()).containsExactly(
                "Audit entry 2 carries another sequence number: entries were reordered.");
    }

    @Test
    void aTruncatedWalFileIsFoundAndTheOriginalStaysIntact() throws Exception {
        Path copy = home.resolve("copy");
        Files.createDirectories(copy);
        Path db = LocalStore.vaultFile(home);
        Path wal = db.resolveSibling(db.getFileName() + "-wal");
        try (LocalStore store = LocalStore.create(home, pass(), FAST, clock)) {
            for (int i = 0; i < 40; i++) {
                store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "doc-" + i));
            }
            store.audit().flush(); // a signed checkpoint covering every entry, in the file beside the database
            // copy the files while the store is open: the recent commits are still in the WAL
            try (var files = Files.list(home)) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith("-shm")).toList()) {
                    Files.copy(f, copy.resolve(f.getFileName()));
                }
            }
        }
        Path copiedWal = copy.resolve(wal.getFileName());
        assertThat(Files.size(copiedWal)).as("the WAL held frames when copied").isGreaterThan(32 + 24 + 4096);
        // keep the WAL header but cut every frame: the commits it held are gone from the copy
        try (var ch = FileChannel.open(copiedWal, StandardOpenOption.WRITE)) {
            ch.truncate(32);
        }

        // loud either way: the file alone is no vault (all commits were in the WAL), or the log is shorter than
        // its signed checkpoint (some were copied into the file already)
        String outcome;
        try {
            AuditLog.Verification v = LocalStore.verifyAudit(copy);
            outcome = v.holds() ? "holds" : String.join(" ", v.problems());
        } catch (CorruptVaultException e) {
            outcome = e.getMessage();
        }
        assertThat(outcome).containsAnyOf("vault.db-wal beside it, are damaged or cut short", "an older copy of it was restored");
        assertThatThrownBy(() -> LocalStore.unlock(copy, pass(), clock).close())
                .isInstanceOfAny(CorruptVaultException.class, AuditTamperedException.class);
        // the original, untouched, still opens and verifies with all 41 entries (vault created + 40)
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThat(store.audit().size()).isGreaterThanOrEqualTo(41);
        }
    }

    @Test
    void truncatingTheLogIsFound() throws Exception {
        populated();
        execute("DELETE FROM audit_entry WHERE seq >= 4");

        AuditLog.Verification v = LocalStore.verifyAudit(home);
        assertThat(v.rolledBack()).isTrue();
        assertThat(v.problems()).contains("The audit log has 4 entries but its last checkpoint covers 7: "
                + "the database was truncated or an older copy of it was restored.");
    }

    @Test
    void restoringAnOlderCopyOfTheDatabaseIsFoundAndOnlyAcceptedExplicitly() throws Exception {
        populated();
        Path old = home.resolve("old-copy.db");
        Files.copy(LocalStore.vaultFile(home), old);
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.record(AuditTypes.DOCUMENT_INGESTED, Map.of("document", "later"));
        }
        Files.copy(old, LocalStore.vaultFile(home), StandardCopyOption.REPLACE_EXISTING);

        assertThatThrownBy(() -> LocalStore.unlock(home, pass(), clock)).isInstanceOf(AuditTamperedException.class)
                .hasMessageContaining("an older copy of it was restored");

        try (var vault = Vault.open(LocalStore.vaultFile(home));
             var session = vault.unlock(pass())) {
            AuditLog log = AuditLog.reanchorAfterRestore(vault.auditStore(), CheckpointFile.beside(vault.file()),
                    session.deviceSigner(), clock);
            assertThat(log.entries(log.size() - 1, log.size()).get(0).type()).isEqualTo(AuditTypes.LOG_REANCHORED);
        }
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRejected() throws Exception {
        populated();
        CheckpointFile file = CheckpointFile.beside(LocalStore.vaultFile(home));
        Checkpoint genuine = Checkpoint.parse(new String(file.read().orElseThrow(), StandardCharsets.UTF_8).split("\n\n")[0] + "\n");
        Ed25519NoteSigner impostor = new Ed25519NoteSigner(genuine.origin(), KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        file.write(genuine.sign(impostor).toBytes());

        assertThat(LocalStore.verifyAudit(home).problems()).singleElement().asString()
                .startsWith("The checkpoint file " + file.path() + " is not signed by this device's key");
    }

    @Test
    void twoDifferentCheckpointsForOneSizeAreAFork() throws Exception {
        populated();
        try (var vault = Vault.open(LocalStore.vaultFile(home));
             var session = vault.unlock(pass())) {
            Checkpoint forged = new Checkpoint(session.deviceSigner().keyName(), 3, new byte[32]);
            vault.auditStore().saveCheckpoint(3, forged.sign(session.deviceSigner()).toBytes());
        }

        assertThat(LocalStore.verifyAudit(home).problems()).anySatisfy(p -> assertThat(p).contains("does not match the entries"));
    }

    @Test
    void aConsentCiphertextMovedToAnotherRowDoesNotDecrypt() throws Exception {
        populated();
        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            store.consent().grant(terms(home.resolve("mail")));
        }
        execute("UPDATE consent_event SET ciphertext = (SELECT ciphertext FROM consent_event WHERE id = 1) WHERE id = 2");

        try (LocalStore store = LocalStore.unlock(home, pass(), clock)) {
            assertThatThrownBy(() -> store.consent().all()).isInstanceOf(TamperedDataException.class);
        }
    }
}
