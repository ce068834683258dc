package org.sovereign.store.vault.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BlindIndexTest {

    @Test
    void normalisesWithNfkcLowerCaseAndSplitsOnNonLettersOrDigits() {
        assertThat(BlindIndex.normalise("Hello, WORLD! hello-world 42"))
                .containsExactly("hello", "world", "42");
        // NFKC folds the ligature "ﬁ" into "fi" and full-width digits into ASCII digits.
        assertThat(BlindIndex.normalise("ﬁle №１２")).containsExactly("file", "no12");
        assertThat(BlindIndex.normalise("İstanbul")).containsExactly("i̇stanbul");
        assertThat(BlindIndex.normalise("  ...  ")).isEmpty();
        assertThat(BlindIndex.normalise("Ünïcödé_text")).containsExactly("ünïcödé", "text");
    }

    @Test
    void equalTokensGiveEqualTermsOnlyUnderTheSameKey() {
        SecureRandom random = new SecureRandom();
        try (BlindIndex index = new BlindIndex(KeyMaterial.random(random));
             BlindIndex other = new BlindIndex(KeyMaterial.random(random))) {
            List<String> doc = index.tokens("Meeting notes: Budget 2027");
            List<String> query = index.tokens("budget");
            assertThat(doc).hasSize(4).contains(query.get(0));
            assertThat(query.get(0)).hasSize(64).matches("[0-9a-f]+");
            assertThat(other.tokens("budget")).doesNotContain(query.get(0));
            assertThat(index.terms("budget").get(0)).hasSize(32);
            assertThat(index.toString()).doesNotContain(query.get(0));
        }
    }
}
