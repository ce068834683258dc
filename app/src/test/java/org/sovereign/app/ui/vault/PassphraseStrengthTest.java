package org.sovereign.app.ui.vault;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.vault.PassphraseStrength.Level.FAIR;
import static org.sovereign.app.ui.vault.PassphraseStrength.Level.STRONG;
import static org.sovereign.app.ui.vault.PassphraseStrength.Level.VERY_STRONG;
import static org.sovereign.app.ui.vault.PassphraseStrength.Level.WEAK;

class PassphraseStrengthTest {

    @Test
    void wordsCountAsWordsAndShortOrRepetitiveInputIsWeak() {
        assertThat(PassphraseStrength.level("orchard lantern")).isEqualTo(WEAK);
        assertThat(PassphraseStrength.level("orchard lantern seventeen quietly")).isEqualTo(FAIR);
        assertThat(PassphraseStrength.level("orchard lantern seventeen quietly under copper")).isEqualTo(STRONG);
        assertThat(PassphraseStrength.level("aaaaaaaaaaaaaaaaaaaa")).isEqualTo(WEAK);
        assertThat(PassphraseStrength.level("Tr0ub4dor&3")).isEqualTo(WEAK);
        assertThat(PassphraseStrength.level("k8#Vq2!mZp9$Lw4@Rt7x")).isEqualTo(STRONG);
        assertThat(PassphraseStrength.level("k8#Vq2!mZp9$Lw4@Rt7xN3&bY6*c")).isEqualTo(VERY_STRONG);
    }

    @Test
    void theAdviceAgreesWithTheRule() {
        assertThat(PassphraseStrength.advice("orchard")).startsWith("Too weak: use at least").contains("10 characters (7 so far)");
        // long enough, but guessable: the advice must not ask for the characters it already has
        assertThat(PassphraseStrength.advice("aaaaaaaaaaaaaaaaaaaa")).startsWith("Too weak: easy to guess")
                .doesNotContain("at least");
        assertThat(PassphraseStrength.advice("Tr0ub4dor&3")).startsWith("Too weak: easy to guess");
        assertThat(PassphraseStrength.advice("orchard lantern seventeen quietly")).startsWith("Fair");
        assertThat(PassphraseStrength.advice("")).isEmpty();
        assertThat(PassphraseStrength.styleClass(WEAK)).isEqualTo("strength-weak");
        assertThat(PassphraseStrength.styleClass(VERY_STRONG)).isEqualTo("strength-very-strong");
    }
}
