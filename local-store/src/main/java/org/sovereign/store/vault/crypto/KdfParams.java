package org.sovereign.store.vault.crypto;

/**
 * Argon2id cost parameters.
 *
 * @param memoryKiB   memory in KiB (m)
 * @param iterations  passes over memory (t)
 * @param parallelism lanes (p)
 */
public record KdfParams(int memoryKiB, int iterations, int parallelism) {
    /** The memory floor accepted when opening a vault: 8 MiB. Weaker stored parameters are refused. */
    public static final int MIN_MEMORY_KIB = 8 * 1024;
    /** Upper bound on memory, so a doctored header cannot exhaust the machine: 4 GiB. */
    public static final int MAX_MEMORY_KIB = 4 * 1024 * 1024;
    /** Upper bound on passes. */
    public static final int MAX_ITERATIONS = 64;
    /** Upper bound on lanes. */
    public static final int MAX_PARALLELISM = 16;

    public KdfParams {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism must be between 1 and " + MAX_PARALLELISM);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations must be between 1 and " + MAX_ITERATIONS);
        }
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory must be at least 8 KiB per lane and at most 4 GiB");
        }
    }

    /**
     * RFC 9106 §4 second recommended option: m = 64 MiB, t = 3, p = min(available cores, 4).
     */
    public static KdfParams defaults() {
        return new KdfParams(64 * 1024, 3, Math.min(Runtime.getRuntime().availableProcessors(), 4));
    }

    /** Whether these parameters meet the workstation's floor ({@link #MIN_MEMORY_KIB}, t &ge; 1). */
    public boolean meetsMinimum() {
        return memoryKiB >= MIN_MEMORY_KIB && iterations >= 1;
    }

    @Override
    public String toString() {
        return "Argon2id(m=" + memoryKiB + " KiB, t=" + iterations + ", p=" + parallelism + ")";
    }
}
