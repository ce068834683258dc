package org.sovereign.store.vault.crypto;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.function.ToLongFunction;

/**
 * Stretches a passphrase into a 256-bit key-encryption key with Argon2id (version 0x13, Bouncy
 * Castle). Blocks the calling thread for the configured cost (about 0.75 s with {@link #calibratedDefaults()}).
 */
public final class Argon2idKdf {
    /** Salt length in bytes. */
    public static final int SALT_LENGTH = 16;

    private Argon2idKdf() {
    }

    /**
     * What one derivation with {@link #calibratedDefaults()} should take on the machine that creates the vault: the
     * middle of 0.6-0.9 s, so unlocking (one derivation plus opening the file) stays within 0.5-1.5 s (ADR-0005).
     */
    public static final Duration CALIBRATION_TARGET = Duration.ofMillis(750);

    /**
     * Argon2id settings for a new vault on this machine: memory and lanes as {@link KdfParams#defaults()} (64 MiB,
     * p = min(cores, 4)), passes raised from the default 3 (never lower) until one derivation takes about
     * {@link #CALIBRATION_TARGET}, at most {@link KdfParams#MAX_ITERATIONS}. Costs three 8 MiB warm-up derivations and
     * two single-pass 64 MiB ones (a few tenths of a second). Explicit settings from the person bypass this.
     */
    public static KdfParams calibratedDefaults() {
        KdfParams base = KdfParams.defaults();
        // warm-up: a cold JVM runs the first derivation interpreted, several times slower than the compiled loop that
        // an unlock mostly runs in; three small derivations (8 MiB) get the block function compiled first
        KdfParams small = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, base.parallelism());
        for (int i = 0; i < 3; i++) {
            timeOnePass(small);
        }
        return calibrate(base, CALIBRATION_TARGET, Argon2idKdf::timeOnePass);
    }

    /**
     * Scales {@code base}'s passes so that one derivation takes about {@code target}: Argon2 time grows linearly with
     * the passes, so one measured single-pass run (the faster of two, the first pays for JIT warm-up) is enough.
     *
     * @param onePassNanos measures one derivation with {@code base}'s memory and lanes and t = 1, in nanoseconds
     */
    static KdfParams calibrate(KdfParams base, Duration target, ToLongFunction<KdfParams> onePassNanos) {
        KdfParams single = new KdfParams(base.memoryKiB(), 1, base.parallelism());
        long perPass = Math.max(1, Math.min(onePassNanos.applyAsLong(single), onePassNanos.applyAsLong(single)));
        long passes = (target.toNanos() + perPass - 1) / perPass;
        int t = (int) Math.max(base.iterations(), Math.min(KdfParams.MAX_ITERATIONS, passes));
        return new KdfParams(base.memoryKiB(), t, base.parallelism());
    }

    /**
     * One derivation's cost in nanoseconds: the calling thread's CPU time where the JVM offers it (Bouncy Castle
     * computes every lane on the calling thread), so other programs busy on the same cores do not make the vault
     * weaker; wall time otherwise.
     */
    private static long timeOnePass(KdfParams params) {
        byte[] password = new byte[16];
        byte[] salt = new byte[SALT_LENGTH];
        new SecureRandom().nextBytes(password);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        boolean cpu = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        long start = cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime();
        Secrets.wipe(argon2id(password, salt, null, null, params, KeyMaterial.KEY_LENGTH));
        return (cpu ? threads.getCurrentThreadCpuTime() : System.nanoTime()) - start;
    }

    /** A fresh random salt. */
    public static byte[] newSalt(SecureRandom random) {
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        return salt;
    }

    /**
     * Derives the key-encryption key. The passphrase stays owned by the caller (and is not modified);
     * its UTF-8 copy is wiped here. The caller owns the returned key.
     */
    public static KeyMaterial deriveKey(char[] passphrase, byte[] salt, KdfParams params) {
        byte[] password = Secrets.utf8(passphrase);
        try {
            return KeyMaterial.adopt(argon2id(password, salt, null, null, params, KeyMaterial.KEY_LENGTH));
        } finally {
            Secrets.wipe(password);
        }
    }

    /** Raw Argon2id with optional secret and associated data (both may be {@code null}). */
    static byte[] argon2id(byte[] password, byte[] salt, byte[] secret, byte[] additional, KdfParams params,
                           int outputLength) {
        Argon2Parameters.Builder builder = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt);
        if (secret != null) {
            builder.withSecret(secret);
        }
        if (additional != null) {
            builder.withAdditional(additional);
        }
        Argon2Parameters parameters = builder.build();
        try {
            Argon2BytesGenerator generator = new Argon2BytesGenerator();
            generator.init(parameters);
            byte[] out = new byte[outputLength];
            generator.generateBytes(password, out);
            return out;
        } finally {
            parameters.clear();
            builder.clear();
        }
    }
}
