package org.sovereign.app.store;

import org.sovereign.app.UserFacingException;
import org.sovereign.app.config.DataDirectory;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.vault.VaultException;
import org.sovereign.store.vault.crypto.KdfParams;

import java.time.Clock;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Opens the local store of the data directory for the CLI and the GUI, and turns the store's typed failures into
 * plain messages. Passphrases passed in are wiped here once used.
 */
public final class StoreService {

    private final DataDirectory dataDirectory;
    private final Clock clock;
    private final Supplier<KdfParams> newVaultKdf;

    /** @param newVaultKdf Argon2id settings for vaults created from the desktop (the CLI passes its own) */
    public StoreService(DataDirectory dataDirectory, Clock clock, KdfParams newVaultKdf) {
        this(dataDirectory, clock, () -> newVaultKdf);
    }

    /** @param newVaultKdf asked each time a vault is created from the desktop (so a saved setting applies) */
    public StoreService(DataDirectory dataDirectory, Clock clock, Supplier<KdfParams> newVaultKdf) {
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.newVaultKdf = newVaultKdf;
    }

    /** Creates the vault with the default Argon2id settings of this service; wipes {@code passphrase}. */
    public LocalStore create(char[] passphrase) {
        KdfParams kdf;
        try {
            kdf = newVaultKdf.get();
        } catch (IllegalArgumentException e) {
            Arrays.fill(passphrase, '\0');
            throw new UserFacingException("The Argon2 settings saved in Settings are not allowed: " + e.getMessage()
                    + ". Nothing was created.", e);
        }
        return create(passphrase, kdf);
    }

    public boolean vaultExists() {
        return LocalStore.exists(dataDirectory.path());
    }

    /** Creates the vault; wipes {@code passphrase}. */
    public LocalStore create(char[] passphrase, KdfParams kdf) {
        try {
            dataDirectory.ensureExists();
            return translate(() -> LocalStore.create(dataDirectory.path(), passphrase, kdf, clock));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Unlocks the vault and verifies its audit log; wipes {@code passphrase}. */
    public LocalStore unlock(char[] passphrase) {
        try {
            return translate(() -> LocalStore.unlock(dataDirectory.path(), passphrase, clock));
        } finally {
            Arrays.fill(passphrase, '\0');
        }
    }

    /** Verifies the audit log with public data only (no passphrase). */
    public AuditLog.Verification verifyAudit() {
        if (!vaultExists()) {
            throw new UserFacingException("There is no vault in " + dataDirectory.path() + " yet; run 'sovereign vault init' first.");
        }
        return translate(() -> LocalStore.verifyAudit(dataDirectory.path()));
    }

    /** Runs a store call, turning the store's plain-message failures into {@link UserFacingException}. */
    public static <T> T translate(Supplier<T> call) {
        try {
            return call.get();
        } catch (VaultException | AuditTamperedException | ConsentRefusedException | InvalidConsentException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
    }
}
