package org.sovereign.store.vault.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The human-typable form of a 256-bit recovery secret:
 * {@code XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX} (56 symbols in 14 groups of 4).
 *
 * <p>Encoding: the 32 secret bytes followed by a 3-byte checksum (35 bytes = 280 bits = exactly 56 symbols of 5 bits),
 * written in Douglas Crockford's Base32 alphabet {@code 0123456789ABCDEFGHJKMNPQRSTVWXYZ}. That alphabet leaves out
 * I, L, O and U, so the symbols people confuse when copying by hand cannot occur; when reading, case is ignored,
 * {@code I}/{@code L} are taken as {@code 1} and {@code O} as {@code 0}, and dashes and spaces are skipped.
 *
 * <p>Checksum: the first 3 bytes of {@code SHA-256("sovereign.recovery-code.v1" || secret)}. Any typo (a wrong,
 * missing, extra or swapped symbol) is caught before the vault is touched, except with probability 2<sup>-24</sup>;
 * a short checksum suffices because the AEAD tag of the recovery wrap catches whatever slips through. (Crockford's own
 * mod-37 check symbol was not used: a single symbol would miss one typo in 37.)
 *
 * <p>Secrets live in {@code byte[]}/{@code char[]} only; the caller owns and wipes what it gets.
 */
public final class RecoveryCode {
    /** Secret length: 256 bits. */
    public static final int SECRET_LENGTH = 32;
    /** Symbols in a code, without separators. */
    public static final int SYMBOLS = 56;
    private static final int CHECKSUM_LENGTH = 3;
    private static final int GROUP = 4;
    private static final byte[] CHECKSUM_DOMAIN = "sovereign.recovery-code.v1".getBytes(StandardCharsets.US_ASCII);

    private RecoveryCode() {
    }

    /** A recovery code could not be read; the message says why in plain words. */
    public static final class MalformedCodeException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        MalformedCodeException(String message) {
            super(message);
        }
    }

    /** The code for {@code secret} (32 bytes, stays the caller's), grouped with dashes. The caller wipes the result. */
    public static char[] format(byte[] secret) {
        if (secret.length != SECRET_LENGTH) {
            throw new IllegalArgumentException("A recovery secret is " + SECRET_LENGTH + " bytes");
        }
        byte[] all = new byte[SECRET_LENGTH + CHECKSUM_LENGTH];
        System.arraycopy(secret, 0, all, 0, SECRET_LENGTH);
        byte[] sum = checksum(secret);
        System.arraycopy(sum, 0, all, SECRET_LENGTH, CHECKSUM_LENGTH);
        char[] out = new char[SYMBOLS + SYMBOLS / GROUP - 1];
        int o = 0;
        for (int i = 0; i < SYMBOLS; i++) {
            if (i > 0 && i % GROUP == 0) {
                out[o++] = '-';
            }
            out[o++] = CrockfordBase32.symbol(all, i * 5);
        }
        Secrets.wipe(all, sum);
        return out;
    }

    /**
     * Reads a code as typed (case, dashes and spaces do not matter) and checks its checksum.
     *
     * @return the 32-byte secret; the caller owns and wipes it
     * @throws MalformedCodeException on a wrong length, a symbol outside the alphabet, or a checksum mismatch (a typo)
     */
    public static byte[] parse(char[] typed) {
        byte[] values = new byte[SYMBOLS];
        byte[] all = new byte[SECRET_LENGTH + CHECKSUM_LENGTH];
        try {
            int n = 0;
            for (char c : typed) {
                if (c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                    continue;
                }
                int v = CrockfordBase32.value(c);
                if (v < 0) {
                    throw new MalformedCodeException("The recovery key contains '" + c + "', which is not one of its letters or digits.");
                }
                if (n == SYMBOLS) {
                    throw new MalformedCodeException("The recovery key is too long: it has " + SYMBOLS + " letters and digits.");
                }
                values[n++] = (byte) v;
            }
            if (n != SYMBOLS) {
                throw new MalformedCodeException("The recovery key is too short: it has " + SYMBOLS
                        + " letters and digits, " + n + " were given.");
            }
            for (int i = 0; i < SYMBOLS; i++) {
                CrockfordBase32.put(all, i, values[i]);
            }
            byte[] secret = Arrays.copyOf(all, SECRET_LENGTH);
            byte[] sum = checksum(secret);
            boolean ok = MessageDigest.isEqual(Arrays.copyOf(sum, CHECKSUM_LENGTH),
                    Arrays.copyOfRange(all, SECRET_LENGTH, SECRET_LENGTH + CHECKSUM_LENGTH));
            Secrets.wipe(sum);
            if (!ok) {
                Secrets.wipe(secret);
                throw new MalformedCodeException("The recovery key has a typo (its check digits do not match). "
                        + "Compare it with what you wrote down, group by group.");
            }
            return secret;
        } finally {
            Secrets.wipe(values, all);
        }
    }

    private static byte[] checksum(byte[] secret) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(CHECKSUM_DOMAIN);
            sha.update(secret);
            return sha.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
        }
    }
}
