package org.sovereign.store;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.log.AuditAnchor;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.audit.log.CheckpointFile;
import org.sovereign.store.audit.log.CheckpointPolicy;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.audit.note.VerifierKey;
import org.sovereign.store.consent.ConsentEventStore;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentService;
import org.sovereign.store.consent.SignedConsentEvent;
import org.sovereign.store.vault.DeviceIdentity;
import org.sovereign.store.vault.TamperedDataException;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultException;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The unlocked local store of one data directory: the vault, its audit log and its consent service, wired so that
 * every consent event and vault event is written to the audit log. Closing it locks the vault (keys wiped).
 */
public final class LocalStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStore.class);

    public static final String VAULT_FILE = "vault.db";

    /** The stores open in this JVM, by vault file: the vault's lock lets only one handle have it open. */
    private static final Map<Path, LocalStore> OPEN = new ConcurrentHashMap<>();

    private final Vault vault;
    private final VaultSession session;
    private final NoteSigner signer;
    private final AuditLog audit;
    private final ConsentService consent;
    private final String actor;

    private LocalStore(Vault vault, VaultSession session, Clock clock) {
        this.vault = vault;
        this.session = session;
        this.signer = session.deviceSigner();
        this.actor = "device:" + signer.keyName().substring("sovereign-device-".length());
        CheckpointFile.beside(vault.file()).tighten();
        try {
            this.audit = AuditLog.open(session.auditStore(), CheckpointFile.beside(vault.file()), signer.verifierKey(), clock,
                    Optional.of(requireAnchor(session)));
        } catch (AuditException e) {
            throw new IllegalStateException("The device key does not form a verifier key", e);
        }
        if (audit.needsCheckpoint()) {
            audit.checkpoint(signer); // entries committed just before a crash, not yet checkpointed
        }
        // group commit (ADR-0004): record() returns after the entry's own commit; checkpoints per batch/time window
        audit.groupCheckpoints(signer, CheckpointPolicy.LOCAL_STORE);
        try {
            this.consent = new ConsentService(session.consentStore(), signer, clock, this::auditConsent);
            recordUnauditedConsentEvents();
        } catch (RuntimeException e) {
            audit.close();
            throw e;
        }
        OPEN.put(openKey(vault.file()), this);
    }

    private static Path openKey(Path vaultFile) {
        return vaultFile.toAbsolutePath().normalize();
    }

    /** The store of {@code dataDirectory} this JVM has open, if any. */
    private static Optional<LocalStore> openHere(Path dataDirectory) {
        return Optional.ofNullable(OPEN.get(openKey(vaultFile(dataDirectory))));
    }

    /**
     * The vault's sealed record of its latest audit checkpoint. Every unlocked vault has one (a vault from before it
     * gets one at its first unlock), so a missing or altered record is tampering.
     */
    private static AuditAnchor requireAnchor(VaultSession session) {
        try {
            return session.auditAnchor().orElseThrow(() -> new AuditTamperedException(
                    "The vault's own record of its audit log is missing: it was deleted, so the audit log cannot be trusted."));
        } catch (TamperedDataException e) {
            throw new AuditTamperedException(e.getMessage(), e);
        }
    }

    /**
     * A consent event is committed before its audit entry (two transactions); a crash in between leaves an event the
     * log does not name. At every open, each such event gets its entry, marked {@code recovered}.
     */
    private void recordUnauditedConsentEvents() {
        Set<String> audited = new HashSet<>();
        final int page = 4096;
        for (long from = 0; from < audit.size(); from += page) {
            for (AuditEntry e : audit.entries(from, Math.min(audit.size(), from + page))) {
                if (e.type().startsWith("consent.") && e.refs().containsKey("eventSha256")) {
                    audited.add(e.refs().get("eventSha256"));
                }
            }
        }
        ConsentEventStore events = session.consentStore();
        for (String recordId : events.recordIds()) {
            List<SignedConsentEvent> signed;
            try {
                signed = events.eventsOf(recordId);
            } catch (VaultException unreadable) {
                // reported (loudly) when the consent is used; opening the vault must not be blocked by one bad row
                LOG.warn("Consent {} cannot be read while reconciling the audit log: {}", recordId, unreadable.getMessage());
                continue;
            }
            for (SignedConsentEvent s : signed) {
                if (!audited.contains(s.hash())) {
                    auditConsent(s, true);
                }
            }
        }
    }

    /** The vault file of a data directory. */
    public static Path vaultFile(Path dataDirectory) {
        return dataDirectory.resolve(VAULT_FILE);
    }

    public static boolean exists(Path dataDirectory) {
        return Files.exists(vaultFile(dataDirectory));
    }

    /**
     * Does once, ahead of the first unlock, the work whose first run in a JVM costs most (issue 16): loading SQLite's
     * native library (an in-memory database, no file) and running Argon2id's code often enough to be compiled (one
     * small derivation with a constant input on a throwaway salt; no secret is involved and nothing is kept). A later
     * unlock then spends its time on its own derivation. Safe to call from any thread, any number of times.
     */
    public static void warmUp() {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            c.isValid(1);
        } catch (SQLException e) {
            LOG.debug("SQLite warm-up failed; the first unlock loads it instead", e);
        }
        Argon2idKdf.deriveKey("warm-up".toCharArray(), new byte[16],
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 2, 1)).close();
    }

    /**
     * Creates a vault in {@code dataDirectory} and opens it. The passphrase is the caller's (it is not wiped here).
     *
     * @throws VaultException if a vault exists already or the file cannot be written
     */
    public static LocalStore create(Path dataDirectory, char[] passphrase, KdfParams kdf, Clock clock) {
        Path file = vaultFile(dataDirectory);
        if (Files.exists(file)) {
            throw new VaultException("A vault exists already in " + dataDirectory + ".");
        }
        Vault vault = Vault.create(file, passphrase, kdf);
        LocalStore store = open(vault, passphrase, clock);
        store.record(AuditTypes.VAULT_CREATED, Map.of("kdf", kdf.toString()));
        return store;
    }

    /**
     * Opens and unlocks the vault of {@code dataDirectory} and verifies its audit log.
     *
     * @throws org.sovereign.store.vault.WrongPassphraseException on a wrong passphrase (nothing changes)
     * @throws org.sovereign.store.audit.log.AuditTamperedException if the audit log does not verify
     */
    public static LocalStore unlock(Path dataDirectory, char[] passphrase, Clock clock) {
        Path file = vaultFile(dataDirectory);
        if (!Files.exists(file)) {
            throw new VaultException("There is no vault in " + dataDirectory + " yet; create one first.");
        }
        LocalStore store = open(Vault.open(file), passphrase, clock);
        store.record(AuditTypes.VAULT_UNLOCKED, Map.of());
        return store;
    }

    /**
     * Sets a new passphrase with the recovery key (for a person who forgot theirs), opens the store and records it.
     * Both arrays stay owned by the caller.
     *
     * @throws org.sovereign.store.vault.MalformedRecoveryKeyException on a typo caught by the key's checksum
     * @throws org.sovereign.store.vault.WrongRecoveryKeyException if the key does not open this vault
     * @throws VaultException if there is no vault or it has no recovery key (in every failure nothing changes)
     */
    public static LocalStore recover(Path dataDirectory, char[] recoveryKey, char[] newPassphrase, Clock clock) {
        Path file = vaultFile(dataDirectory);
        if (!Files.exists(file)) {
            throw new VaultException("There is no vault in " + dataDirectory + " yet; create one first.");
        }
        LocalStore store = open(Vault.open(file), v -> v.recover(recoveryKey, newPassphrase), clock);
        store.record(AuditTypes.VAULT_PASSPHRASE_RECOVERED, Map.of());
        return store;
    }

    /**
     * Whether the vault of a data directory has a recovery key (no passphrase needed). Works while this JVM has the
     * store open.
     *
     * @throws org.sovereign.store.vault.VaultInUseException if another process has the vault open
     */
    public static boolean hasRecoveryKey(Path dataDirectory) {
        Optional<LocalStore> open = openHere(dataDirectory);
        if (open.isPresent()) {
            return open.get().hasRecoveryKey();
        }
        try (Vault vault = Vault.open(vaultFile(dataDirectory))) {
            return vault.hasRecoveryKey();
        }
    }

    private static LocalStore open(Vault vault, char[] passphrase, Clock clock) {
        return open(vault, v -> v.unlock(passphrase), clock);
    }

    private static LocalStore open(Vault vault, Function<Vault, VaultSession> unlock, Clock clock) {
        VaultSession session = null;
        try {
            session = unlock.apply(vault);
            return new LocalStore(vault, session, clock);
        } catch (RuntimeException e) {
            if (session != null) {
                session.lock();
            }
            vault.close();
            throw e;
        }
    }

    /**
     * Checks the audit log of a data directory with public data only (no passphrase). If this JVM has the store open,
     * checks through it instead ({@link #verifyAudit()}: also against the vault's sealed record, and with no append
     * running in between).
     *
     * @throws org.sovereign.store.vault.VaultInUseException if another process has the vault open
     */
    public static AuditLog.Verification verifyAudit(Path dataDirectory) {
        Optional<LocalStore> open = openHere(dataDirectory);
        if (open.isPresent()) {
            return open.get().verifyAudit();
        }
        try (Vault vault = Vault.open(vaultFile(dataDirectory))) {
            return AuditLog.verify(vault.auditStore(), CheckpointFile.beside(vault.file()), verifierKey(vault.deviceIdentity()));
        }
    }

    /**
     * Checks the audit log of a data directory as {@link #verifyAudit(Path)} does and also against the vault's sealed
     * record of its latest checkpoint, which needs the passphrase (owned by the caller). Records nothing in the log;
     * a vault from before the record gets one (the upgrade an unlock does). If this JVM has the store open, checks
     * through it.
     *
     * @throws org.sovereign.store.vault.WrongPassphraseException on a wrong passphrase (nothing changes)
     * @throws org.sovereign.store.vault.VaultInUseException      if another process has the vault open
     */
    public static AuditLog.Verification verifyAudit(Path dataDirectory, char[] passphrase) {
        Optional<LocalStore> open = openHere(dataDirectory);
        if (open.isPresent()) {
            return open.get().verifyAudit();
        }
        try (Vault vault = Vault.open(vaultFile(dataDirectory)); VaultSession session = vault.unlock(passphrase)) {
            AuditAnchor anchor;
            try {
                anchor = requireAnchor(session);
            } catch (AuditTamperedException e) {
                return new AuditLog.Verification(vault.auditStore().size(), List.of(e.getMessage()), false);
            }
            return AuditLog.verify(session.auditStore(), CheckpointFile.beside(vault.file()), verifierKey(vault.deviceIdentity()),
                    Optional.of(anchor));
        }
    }

    /** The verifier key of a device identity: what a third party needs to check checkpoints and proofs. */
    public static VerifierKey verifierKey(DeviceIdentity identity) {
        try {
            return VerifierKey.ofEd25519("sovereign-device-" + identity.fingerprint().replace(" ", "").substring(0, 16),
                    identity.publicKey());
        } catch (AuditException e) {
            throw new IllegalStateException(e);
        }
    }

    public VaultSession session() {
        return session;
    }

    /**
     * Checks this store's audit log as stored, as {@link #verifyAudit(Path)} does, and also against the vault's sealed
     * record of its latest checkpoint (which needs the unlocked session). Appends wait meanwhile.
     */
    public AuditLog.Verification verifyAudit() {
        AuditAnchor anchor;
        try {
            anchor = requireAnchor(session);
        } catch (AuditTamperedException e) {
            return new AuditLog.Verification(audit.size(), List.of(e.getMessage()), false);
        }
        return audit.verifyStored(Optional.of(anchor));
    }

    public AuditLog audit() {
        return audit;
    }

    public ConsentService consent() {
        return consent;
    }

    public NoteSigner signer() {
        return signer;
    }

    public DeviceIdentity deviceIdentity() {
        return session.deviceIdentity();
    }

    /**
     * A self-verifying receipt of a consent: its signed events plus, for each, an offline proof that it is in this
     * device's audit log (a checkpoint is signed first if the latest does not cover every entry).
     */
    public byte[] consentReceipt(String recordId) {
        var history = consent.history(recordId);
        audit.flush();
        List<byte[]> proofs = new ArrayList<>();
        final int page = 4096;
        for (long from = 0; from < audit.size(); from += page) {
            for (AuditEntry e : audit.entries(from, Math.min(audit.size(), from + page))) {
                if (recordId.equals(e.refs().get("consent")) && e.refs().containsKey("eventSha256")) {
                    proofs.add(audit.proof(e.sequence()).toBytes());
                }
            }
        }
        return ConsentReceipt.export(history, proofs, audit.logKey().encode());
    }

    /**
     * Appends one audit entry by this device. When this returns the entry is committed (it survives a crash of this
     * process); a signed checkpoint covers it within {@link CheckpointPolicy#LOCAL_STORE}'s window, or at once on
     * {@link AuditLog#flush()}, a proof, a receipt, a backup or {@link #close()}.
     */
    public AuditEntry record(String type, Map<String, String> refs) {
        return audit.append(AuditEntry.of(type, actor, refs), signer);
    }

    /**
     * Erases a scope (crypto-shredding, {@link VaultSession#eraseScope(long)}) and appends the audit entry
     * {@code type} with {@code refs} in the same database transaction, so a crash can never leave the erasure without
     * its entry, nor the entry without the erasure.
     *
     * @return the entry, or empty when the scope was erased already (nothing is recorded then)
     */
    public Optional<AuditEntry> eraseScope(long scopeId, String type, Map<String, String> refs) {
        AuditEntry[] entry = new AuditEntry[1];
        boolean erased = session.eraseScope(scopeId,
                erase -> entry[0] = audit.appendWith(AuditEntry.of(type, actor, refs), signer, erase));
        return erased ? Optional.of(entry[0]) : Optional.empty();
    }

    public AuditEntry record(String type, Map<String, String> refs, Map<String, String> commitments) {
        return audit.append(AuditEntry.of(type, actor, refs, commitments), signer);
    }

    /** Changes the passphrase (rewraps the master key only) and records it. */
    public void changePassphrase(char[] current, char[] replacement) {
        session.changePassphrase(current, replacement);
        record(AuditTypes.VAULT_PASSPHRASE_CHANGED, Map.of());
    }

    /**
     * Creates a recovery key (replacing any earlier one) and records that; the key itself is not in the log. Returns
     * the key to show to the person once; the caller wipes the array.
     */
    public char[] createRecoveryKey() {
        char[] key = session.createRecoveryKey();
        record(AuditTypes.VAULT_RECOVERY_KEY_CREATED, Map.of());
        return key;
    }

    /** Removes the recovery key (recorded when there was one). Returns whether there was one. */
    public boolean removeRecoveryKey() {
        boolean removed = session.removeRecoveryKey();
        if (removed) {
            record(AuditTypes.VAULT_RECOVERY_KEY_REMOVED, Map.of());
        }
        return removed;
    }

    /** Whether this vault has a recovery key. */
    public boolean hasRecoveryKey() {
        return vault.hasRecoveryKey();
    }

    /** Writes an encrypted backup and records it. */
    public void backupTo(Path target) {
        audit.flush(); // the backup's entries are all covered by a checkpoint inside it
        session.backupTo(target);
        record(AuditTypes.BACKUP_CREATED, Map.of("file", target.getFileName().toString()));
    }

    private void auditConsent(SignedConsentEvent signed) {
        auditConsent(signed, false);
    }

    private void auditConsent(SignedConsentEvent signed, boolean recovered) {
        var event = signed.event();
        String type = switch (event.status()) {
            case GIVEN -> AuditTypes.CONSENT_GIVEN;
            case RENEWED -> AuditTypes.CONSENT_RENEWED;
            case WITHDRAWN -> AuditTypes.CONSENT_WITHDRAWN;
            case EXPIRED -> AuditTypes.CONSENT_EXPIRED;
        };
        Map<String, String> refs = new TreeMap<>(Map.of("consent", event.recordId(),
                "event", Long.toString(event.sequence()), "eventSha256", signed.hash(), "status", event.status().dpv()));
        if (recovered) {
            refs.put("recovered", "true");
        }
        record(type, refs);
    }

    /** Signs a last checkpoint if entries are uncovered, locks the vault (wipes its keys) and closes the file. */
    @Override
    public void close() {
        OPEN.remove(openKey(vault.file()), this);
        try {
            audit.close(); // stops the checkpointer first, then signs what is uncovered
        } catch (RuntimeException e) {
            // the entries are committed; the next open signs the checkpoint (see the constructor)
            LOG.warn("The last audit checkpoint could not be signed at close: {}", e.getMessage());
        } finally {
            try {
                session.lock();
            } finally {
                vault.close();
            }
        }
    }

}
