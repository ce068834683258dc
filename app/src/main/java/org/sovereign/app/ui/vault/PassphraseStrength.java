package org.sovereign.app.ui.vault;

/**
 * A rough estimate of how hard a passphrase is to guess, for the strength meter. It counts length and character
 * variety and discounts repetition; it cannot know about dictionary words, so the meter says "estimate".
 */
public final class PassphraseStrength {

    public enum Level { EMPTY, WEAK, FAIR, STRONG, VERY_STRONG }

    public static final int MIN_LENGTH = 10;

    private PassphraseStrength() {
    }

    /** Estimated bits of entropy. */
    public static double bits(CharSequence p) {
        if (p.length() == 0) {
            return 0;
        }
        boolean lower = false, upper = false, digit = false, other = false;
        int distinct = (int) p.chars().distinct().count();
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (Character.isLowerCase(c)) {
                lower = true;
            } else if (Character.isUpperCase(c)) {
                upper = true;
            } else if (Character.isDigit(c)) {
                digit = true;
            } else {
                other = true;
            }
        }
        int pool = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (other ? 33 : 0);
        double variety = Math.min(1.0, distinct / (double) Math.max(8, p.length() / 2));
        return p.length() * (Math.log(pool) / Math.log(2)) * variety;
    }

    public static Level level(CharSequence p) {
        double b = bits(p);
        if (p.length() == 0) {
            return Level.EMPTY;
        }
        if (p.length() < MIN_LENGTH || b < 45) {
            return Level.WEAK;
        }
        if (b < 65) {
            return Level.FAIR;
        }
        return b < 90 ? Level.STRONG : Level.VERY_STRONG;
    }
}
