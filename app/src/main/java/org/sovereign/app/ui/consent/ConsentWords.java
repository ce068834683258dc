package org.sovereign.app.ui.consent;

import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentStatus;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plain words for consent on screens: a consent is named by its purpose and the day it was given (its id belongs in
 * the details only), a refusal names what the person asked for ("answer", "search"), and dates are days, not
 * timestamps. The command line keeps the store's own wording.
 */
public final class ConsentWords {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH);

    private ConsentWords() {
    }

    /** A day as people write it, in this computer's time zone: "7 December 2026". */
    public static String day(Instant instant) {
        return DAY.format(instant.atZone(ZoneId.systemDefault()));
    }

    /** A consent by its purposes and the day it was given: "your consent for 'private assistant' of 7 December 2026". */
    public static String name(ConsentHistory consent) {
        return "your consent for '" + String.join("', '", consent.terms().purposes()) + "' of "
                + day(consent.events().get(0).time());
    }

    /** What the chip says after an answer under {@code consent}. */
    public static String covered(ConsentHistory consent) {
        String name = name(consent);
        return "Covered by " + name + " (until " + day(consent.terms().validUntil()) + ")";
    }

    /** What the chip says once {@code consent}, which covered the last answer, no longer does. */
    public static String noLongerCovered(ConsentHistory consent, Instant now) {
        ConsentStatus status = consent.statusAt(now);
        String why = status == ConsentStatus.WITHDRAWN ? "withdrawn on " + day(consent.latest().time())
                : "expired on " + day(consent.terms().validUntil());
        return "No consent covers this any more: " + name(consent) + " was " + why;
    }

    /**
     * Why {@code asked} (a noun: "answer", "search") was refused, in one plain sentence from what the refusal found
     * missing, without ids, timestamps or operation names of the consent vocabulary.
     */
    public static String refused(String asked, String purpose, ConsentRefusedException e) {
        List<String> reasons = new ArrayList<>();
        for (ConsentRefusedException.Missing m : e.missing()) {
            switch (m) {
                case WITHDRAWN -> reasons.add("the consent that covered it was withdrawn");
                case EXPIRED -> reasons.add("the consent that covered it has expired");
                case NOT_YET_VALID -> reasons.add("the consent that covers it is not valid yet");
                case PURPOSE -> reasons.add("no consent you gave names the purpose '" + purpose + "'");
                case OPERATION -> reasons.add("the closest consent does not allow your documents to be used for this");
                case SOURCES -> reasons.add("no consent covers " + (e.uncoveredSources().isEmpty() ? "these documents"
                        : e.uncoveredSources().get(0) + (e.uncoveredSources().size() > 1
                        ? " and " + (e.uncoveredSources().size() - 1) + " more" : "")));
                case PACK -> reasons.add("the closest consent does not allow the chosen model");
                case NO_CONSENT -> reasons.add("you have not given a consent for '" + purpose + "' yet");
            }
        }
        if (reasons.isEmpty()) {
            reasons.add("you have not given a consent for '" + purpose + "' yet");
        }
        return "No " + asked + ": " + String.join("; ", reasons) + ".";
    }
}
