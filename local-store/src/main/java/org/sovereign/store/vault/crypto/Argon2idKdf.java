package org.sovereign.store.vault.crypto;

import java.security.SecureRandom;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Stretches a passphrase into a 256-bit key-encryption key with Argon2id (version 0x13, Bouncy
 * Castle). Blocks the calling thread for the configured cost (about a second with the defaults).
 */
public final class Argon2idKdf {
    /** Salt length in bytes. */
    public static final int SALT_LENGTH = 16;

    private Argon2idKdf() {
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
