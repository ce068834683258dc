package org.sovereign.core.settings;

import org.sovereign.store.vault.crypto.KdfParams;

/**
 * The workstation's preferences. None of them reveals user content, so they are kept in a plain JSON file beside
 * the vault (see {@link SettingsStore}); anything that could reveal content belongs in the vault instead.
 *
 * @param autoLockMinutes  lock the vault after this many minutes without keyboard or mouse input; 0 = never
 * @param lowPowerMode     run models with fewer threads (half the cores) to save battery and keep the machine cool
 * @param inferenceThreads ONNX Runtime intra-op threads; 0 = choose from the hardware profile and the power mode
 * @param theme            the window's colour scheme
 * @param kdfMemoryMiB     Argon2id memory for a new vault or a passphrase change; 0 = the built-in default
 * @param kdfIterations    Argon2id passes for a new vault or a passphrase change; 0 = the built-in default
 */
public record AppSettings(int autoLockMinutes, boolean lowPowerMode, int inferenceThreads, Theme theme,
                          int kdfMemoryMiB, int kdfIterations) {

    /** The colour schemes the window offers. */
    public enum Theme { LIGHT, DARK }

    public static final int DEFAULT_AUTO_LOCK_MINUTES = 15;
    /** Longest idle time the setting accepts: one day. */
    public static final int MAX_AUTO_LOCK_MINUTES = 24 * 60;
    public static final int MAX_THREADS = 256;

    public AppSettings {
        if (autoLockMinutes < 0 || autoLockMinutes > MAX_AUTO_LOCK_MINUTES) {
            throw new IllegalArgumentException("Auto-lock must be between 0 (never) and " + MAX_AUTO_LOCK_MINUTES + " minutes.");
        }
        if (inferenceThreads < 0 || inferenceThreads > MAX_THREADS) {
            throw new IllegalArgumentException("Threads must be between 0 (automatic) and " + MAX_THREADS + ".");
        }
        if (kdfMemoryMiB < 0 || kdfIterations < 0) {
            throw new IllegalArgumentException("Argon2 parameters cannot be negative.");
        }
        if (theme == null) {
            theme = Theme.LIGHT;
        }
    }

    /** What a new installation starts with. */
    public static AppSettings defaults() {
        return new AppSettings(DEFAULT_AUTO_LOCK_MINUTES, false, 0, Theme.LIGHT, 0, 0);
    }

    public AppSettings withAutoLockMinutes(int minutes) {
        return new AppSettings(minutes, lowPowerMode, inferenceThreads, theme, kdfMemoryMiB, kdfIterations);
    }

    public AppSettings withLowPowerMode(boolean lowPower) {
        return new AppSettings(autoLockMinutes, lowPower, inferenceThreads, theme, kdfMemoryMiB, kdfIterations);
    }

    public AppSettings withInferenceThreads(int threads) {
        return new AppSettings(autoLockMinutes, lowPowerMode, threads, theme, kdfMemoryMiB, kdfIterations);
    }

    public AppSettings withTheme(Theme newTheme) {
        return new AppSettings(autoLockMinutes, lowPowerMode, inferenceThreads, newTheme, kdfMemoryMiB, kdfIterations);
    }

    /**
     * The Argon2id settings for a new vault or passphrase: {@code fallback} where a value is 0 (the built-in
     * default), with {@code fallback}'s parallelism.
     *
     * @throws IllegalArgumentException if the stored values are outside what Argon2id accepts
     */
    public KdfParams kdfParams(KdfParams fallback) {
        if (kdfMemoryMiB == 0 && kdfIterations == 0) {
            return fallback;
        }
        return new KdfParams(
                kdfMemoryMiB == 0 ? fallback.memoryKiB() : kdfMemoryMiB * 1024,
                kdfIterations == 0 ? fallback.iterations() : kdfIterations, fallback.parallelism());
    }

    /** Whether Argon2id settings differ from the built-in defaults. */
    public boolean customKdf() {
        return kdfMemoryMiB != 0 || kdfIterations != 0;
    }

    public AppSettings withKdf(int memoryMiB, int iterations) {
        return new AppSettings(autoLockMinutes, lowPowerMode, inferenceThreads, theme, memoryMiB, iterations);
    }
}
