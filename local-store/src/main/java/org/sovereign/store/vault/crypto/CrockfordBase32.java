package org.sovereign.store.vault.crypto;

/**
 * Douglas Crockford's Base32 symbols ({@code 0123456789ABCDEFGHJKMNPQRSTVWXYZ}) for codes people type: the recovery key
 * and the mesh's short invite codes. The alphabet leaves out I, L, O and U; when reading, case is ignored, {@code I}
 * and {@code L} are taken as {@code 1} and {@code O} as {@code 0}.
 */
public final class CrockfordBase32 {
    /** The 32 symbols, by value. */
    public static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    private CrockfordBase32() {
    }

    /** The symbol of the 5 bits of {@code data} starting at bit {@code offset} (big-endian). */
    public static char symbol(byte[] data, int offset) {
        int v = 0;
        for (int b = 0; b < 5; b++) {
            int bit = offset + b;
            v = (v << 1) | ((data[bit >> 3] >> (7 - (bit & 7))) & 1);
        }
        return ALPHABET.charAt(v);
    }

    /** The value (0 to 31) of a typed symbol, or -1 when it is none. */
    public static int value(char c) {
        char u = Character.toUpperCase(c);
        if (u == 'O') {
            return 0;
        }
        if (u == 'I' || u == 'L') {
            return 1;
        }
        return ALPHABET.indexOf(u);
    }

    /** Sets the 5 bits of {@code value} into {@code data} at symbol position {@code index} (bits {@code 5 * index} on). */
    public static void put(byte[] data, int index, int value) {
        for (int b = 0; b < 5; b++) {
            if ((value >> (4 - b) & 1) != 0) {
                int bit = index * 5 + b;
                data[bit >> 3] |= (byte) (0x80 >>> (bit & 7));
            }
        }
    }
}
