package org.sovereign.app.ui.vault;

import java.util.Locale;
import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.control.ProgressBar;

/**
 * A rough estimate of how hard a passphrase is to guess, for the strength meter. It counts length and character
 * variety and discounts repetition; it cannot know about dictionary words, so the meter says "estimate".
 */
public final class PassphraseStrength {

    public enum Level { EMPTY, WEAK, FAIR, STRONG, VERY_STRONG }

    public static final int MIN_LENGTH = 10;

    private PassphraseStrength() {
    }

    /** About 12 bits per word: what a guesser with a list of the 4,000 most common words needs per word. */
    private static final double BITS_PER_COMMON_WORD = 12;

    /** Estimated bits of entropy. */
    public static double bits(CharSequence p) {
        if (p.length() == 0) {
            return 0;
        }
        String s = p.toString().strip();
        if (s.matches("[\\p{Ll} ]+") && s.contains(" ")) {
            // lower-case words: count words, not characters (letters of real words are far from random)
            return s.split(" +").length * BITS_PER_COMMON_WORD;
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
        // people do not pick characters at random: count 60% of the ideal, which keeps l33t-speak words weak
        return 0.6 * p.length() * (Math.log(pool) / Math.log(2)) * variety;
    }

    public static Level level(CharSequence p) {
        double b = bits(p);
        if (p.length() == 0) {
            return Level.EMPTY;
        }
        if (p.length() < MIN_LENGTH || b < 45) {
            return Level.WEAK;
        }
        if (b < 70) {
            return Level.FAIR;
        }
        return b < 90 ? Level.STRONG : Level.VERY_STRONG;
    }

    /**
     * What the meter says about {@code p}, in words that agree with {@link #level}: a short passphrase is called short,
     * a long but guessable one is called guessable (never "use at least N characters" for one that has them).
     */
    public static String advice(CharSequence p) {
        return switch (level(p)) {
            case EMPTY -> "";
            case WEAK -> p.length() < MIN_LENGTH
                    ? "Too weak: use at least " + MIN_LENGTH + " characters (" + p.length() + " so far); several words are easiest."
                    : "Too weak: easy to guess (estimate). Add a few more words, or repeat characters less.";
            case FAIR -> "Fair (estimate): good enough. Longer is better.";
            case STRONG -> "Strong (estimate).";
            case VERY_STRONG -> "Very strong (estimate).";
        };
    }

    /** The meter bar's style class for {@code level}: its colour goes from red (weak) to green (strong). */
    public static String styleClass(Level level) {
        return "strength-" + level.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Keeps {@code meter}'s style class on the one of {@code level}, for the colour of its bar. */
    public static void colour(ProgressBar meter, ObservableValue<Level> level) {
        ChangeListener<Level> apply = (o, old, now) -> {
            for (Level l : Level.values()) {
                meter.getStyleClass().remove(styleClass(l));
            }
            if (now != null) {
                meter.getStyleClass().add(styleClass(now));
            }
        };
        level.addListener(apply);
        apply.changed(level, null, level.getValue());
    }
}
