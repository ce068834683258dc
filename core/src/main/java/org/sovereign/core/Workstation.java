package org.sovereign.core;

import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.services.DoctorService;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;

/**
 * The composition root: the services one run of the workstation uses, built once from the data directory and
 * handed to the GUI or the CLI. No static singletons: whoever needs a service gets it from here.
 *
 * @param dataDirectory where everything is stored
 * @param logFile       the active log file (shown in error messages so people can find details)
 * @param version       this build's version
 * @param packs         model packs, one part per job: keys, import, catalog, installation, runtime, overview
 * @param settings      the person's preferences (auto-lock, power mode, theme, Argon2 cost)
 */
public record Workstation(DataDirectory dataDirectory, Path logFile, String version, DoctorService doctor, StoreService store,
                         Packs packs, SettingsStore settings) {

    /**
     * Unlocks the vault (verifying its audit log) and opens a workspace on it; wipes {@code passphrase}. Blocks for the
     * key derivation (about a second). The caller owns the workspace and closes it to lock.
     *
     * @throws org.sovereign.core.common.UserFacingException for a wrong passphrase, a missing or damaged vault
     */
    public UnlockedWorkspace unlock(char[] passphrase) {
        return open(store.unlock(passphrase));
    }

    /** A workspace on a store this caller just opened (created, unlocked or recovered); it now owns the store. */
    public UnlockedWorkspace open(LocalStore opened) {
        return new UnlockedWorkspace(opened, packs.runtime(), Clock.systemUTC());
    }

    /**
     * The production wiring: a vault created from the desktop uses the Argon2id cost from the settings if the person set
     * one, else the cost calibrated on this computer at that moment ({@link StoreService#kdfFor(int, int)}).
     */
    public static Workstation create(DataDirectory dataDirectory, Path logFile) {
        SettingsStore settings = new SettingsStore(dataDirectory.path());
        return wire(dataDirectory, logFile, settings,
                () -> StoreService.kdfFor(settings.get().kdfMemoryMiB(), settings.get().kdfIterations()));
    }

    /** With other Argon2id settings for new vaults (tests use the minimum to stay fast). */
    public static Workstation create(DataDirectory dataDirectory, Path logFile, KdfParams newVaultKdf) {
        SettingsStore settings = new SettingsStore(dataDirectory.path());
        // Argon2 settings saved in Settings (Advanced) apply to a vault created from the desktop; 0 = newVaultKdf
        return wire(dataDirectory, logFile, settings, () -> settings.get().kdfParams(newVaultKdf));
    }

    private static Workstation wire(DataDirectory dataDirectory, Path logFile, SettingsStore settings,
                                   Supplier<KdfParams> newVaultKdf) {
        StoreService store = new StoreService(dataDirectory, Clock.systemUTC(), newVaultKdf);
        // models take their threads and power mode from the settings each time one loads
        Packs packs = Packs.create(dataDirectory.path(), store, settings::get);
        return new Workstation(dataDirectory, logFile, Version.current(), new DoctorService(dataDirectory, packs.runtime()),
                store, packs, settings);
    }
}
