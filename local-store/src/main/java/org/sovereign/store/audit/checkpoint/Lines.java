package org.sovereign.store.audit.checkpoint;

import java.util.Base64;
import java.util.regex.Pattern;

/** Small strict parsing helpers shared by checkpoints and proof files. */
final class Lines {
    private static final Pattern DECIMAL = Pattern.compile("0|[1-9][0-9]{0,18}");

    private Lines() {
    }

    /** A non-negative decimal without leading zeros that fits a long, or -1. */
    static long parseDecimal(String s) {
        if (!DECIMAL.matcher(s).matches()) {
            return -1;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Canonical padded standard base64, or null. */
    static byte[] decodeBase64(String s) {
        try {
            byte[] bytes = Base64.getDecoder().decode(s);
            return Base64.getEncoder().encodeToString(bytes).equals(s) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static boolean hasControlCharacter(String s) {
        return s.chars().anyMatch(c -> c < 0x20);
    }
}
