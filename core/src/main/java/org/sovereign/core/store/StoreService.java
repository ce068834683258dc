package org.sovereign.core.store;

import org.slf4j.LoggerFactory;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.vault.VaultException;
import org.sovereign.store.vault.crypto.Argon2idKdf;
import org.sovereign.store.vault.crypto.KdfParams;

import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * @param newVaultKdf asked when a vault is created from the desktop (so it may calibrate then, see
     *                    {@link #kdfFor(int, int)}); the CLI passes its own settings
     */
    public StoreService(DataDirectory dataDirectory, Clock clock, Supplier<KdfParams> newVaultKdf) {
        this.dataDirectory = dataDirectory;
        this.clock = clock;
        this.newVaultKdf = newVaultKdf;
    }

    /**
     * Argon2id settings for a new vault. Explicit values (from the CLI or {@code AppSettings}; 0 = not set) are used as
     * given, the other one taken from {@link KdfParams#defaults()}; with neither set, the passes are calibrated on this
     * computer so that unlocking takes about 0.75 s ({@link Argon2idKdf#calibratedDefaults()}, ADR-0005).
     *
     * @throws UserFacingException if the explicit values are outside what the vault allows
     */
    public static KdfParams kdfFor(int memoryMiB, int iterations) {
        if (memoryMiB == 0 && iterations == 0) {
            return Argon2idKdf.calibratedDefaults();
        }
        KdfParams defaults = KdfParams.defaults();
        try {
            return new KdfParams(memoryMiB == 0 ? defaults.memoryKiB() : memoryMiB * 1024,
                    iterations == 0 ? defaults.iterations() : iterations, defaults.parallelism());
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("Those Argon2id settings are not allowed: " + e.getMessage());
        }
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
        } catch (RuntimeException e) {
            Arrays.fill(passphrase, '\0');
            throw e;
        }
        return create(passphrase, kdf);
    }

    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /**
     * Prepares this JVM for a fast first unlock (see {@link LocalStore#warmUp()}): a screen that asks for the
     * passphrase calls it in the background while the person types. Runs once per JVM; later calls return at once.
     * Never throws: a failed warm-up only means the first unlock does that work itself.
     */
    public static void warmUp() {
        if (!WARMED.compareAndSet(false, true)) {
            return;
        }
        try {
            LocalStore.warmUp();
        } catch (RuntimeException | LinkageError e) {
            LoggerFactory.getLogger(StoreService.class).debug("Warm-up before unlock failed", e);
        }
    }

    /** Whether {@link #warmUp()} has run (or is running) in this JVM. */
    public static boolean warmedUp() {
        return WARMED.get();
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

    /**
     * Sets a new passphrase with the recovery key and opens the store; wipes both arrays. A typo, a key of another
     * vault or a vault without a recovery key is a {@link UserFacingException} and changes nothing.
     */
    public LocalStore recover(char[] recoveryKey, char[] newPassphrase) {
        try {
            if (!vaultExists()) {
                throw new UserFacingException("There is no vault in " + dataDirectory.path() + " yet; create one first.");
            }
            return translate(() -> LocalStore.recover(dataDirectory.path(), recoveryKey, newPassphrase, clock));
        } finally {
            Arrays.fill(recoveryKey, '\0');
            Arrays.fill(newPassphrase, '\0');
        }
    }

    /** Whether the vault has a recovery key (no passphrase needed); false when there is no vault. */
    public boolean hasRecoveryKey() {
        return vaultExists() && translate(() -> LocalStore.hasRecoveryKey(dataDirectory.path()));
    }

    /** Verifies the audit log with public data only (no passphrase). */
    public AuditLog.Verification verifyAudit() {
        if (!vaultExists()) {
            throw new UserFacingException("There is no vault in " + dataDirectory.path() + " yet; create one first.");
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
