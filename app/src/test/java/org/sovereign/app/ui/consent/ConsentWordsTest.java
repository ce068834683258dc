package org.sovereign.app.ui.consent;

import org.junit.jupiter.api.Test;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRefusedException.Missing;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Refusals and consents in plain words: the operation asked for, no ids, no timestamps, no consent vocabulary. */
class ConsentWordsTest {

    @Test
    void aRefusalNamesWhatWasAskedForAndWhyInPlainWords() {
        ConsentRefusedException withdrawn = new ConsentRefusedException(
                "No consent allows index for 'private assistant'. The closest, 0b6c1a52-9d1e-4c1b-a0a5-3f1f0d6a9e11, "
                        + "does not: it was withdrawn on 2026-12-07T12:31:05.123456789Z.", Set.of(Missing.WITHDRAWN), List.of());
        assertThat(ConsentWords.refused("search", "private assistant", withdrawn))
                .isEqualTo("No search: the consent that covered it was withdrawn.");
        assertThat(ConsentWords.refused("answer", "private assistant", withdrawn))
                .startsWith("No answer: ").doesNotContain("0b6c1a52", "index", "2026-12-07T");

        ConsentRefusedException notCovered = new ConsentRefusedException("x", Set.of(Missing.SOURCES),
                List.of(Path.of("/home/ada/letters"), Path.of("/home/ada/bills")));
        assertThat(ConsentWords.refused("answer", "private assistant", notCovered))
                .isEqualTo("No answer: no consent covers /home/ada/letters and 1 more.");
        assertThat(ConsentWords.refused("search", "taxes", new ConsentRefusedException("x", Set.of(Missing.NO_CONSENT), List.of())))
                .isEqualTo("No search: you have not given a consent for 'taxes' yet.");
    }

    @Test
    void daysAreWrittenAsPeopleWriteThem() {
        String day = ConsentWords.day(Instant.parse("2026-12-07T12:00:00Z"));
        assertThat(day).matches("\\d{1,2} December 2026").doesNotContain("T12", ":");
    }
}
