package org.sovereign.store.vault.crypto;

import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecoveryCodeTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] secret() {
        byte[] s = new byte[RecoveryCode.SECRET_LENGTH];
        RANDOM.nextBytes(s);
        return s;
    }

    @Test
    void aCodeIs14GroupsOf4CrockfordSymbolsAndReadsBackToTheSecret() {
        for (int i = 0; i < 200; i++) {
            byte[] secret = secret();
            char[] code = RecoveryCode.format(secret);
            assertThat(new String(code)).matches("([0-9A-HJKMNP-TV-Z]{4}-){13}[0-9A-HJKMNP-TV-Z]{4}");
            assertThat(RecoveryCode.parse(code)).isEqualTo(secret);
        }
    }

    @Test
    void lowerCaseSpacesAndLookAlikeLettersAreAccepted() {
        byte[] secret = secret();
        String code = new String(RecoveryCode.format(secret));
        String typed = code.toLowerCase().replace('-', ' ').replace("0", "o").replace("1", "l");
        assertThat(RecoveryCode.parse(typed.toCharArray())).isEqualTo(secret);
    }

    @Test
    void everySingleSymbolTypoIsCaughtByTheChecksum() {
        byte[] secret = secret();
        char[] code = RecoveryCode.format(secret);
        char[] alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
        int caught = 0;
        for (int i = 0; i < code.length; i++) {
            if (code[i] == '-') {
                continue;
            }
            char[] typo = code.clone();
            typo[i] = alphabet[(Arrays.binarySearch(alphabet, code[i]) + 1 + RANDOM.nextInt(alphabet.length - 1)) % alphabet.length];
            assertThatThrownBy(() -> RecoveryCode.parse(typo)).isInstanceOf(RecoveryCode.MalformedCodeException.class)
                    .hasMessageContaining("typo");
            caught++;
        }
        assertThat(caught).isEqualTo(RecoveryCode.SYMBOLS);
    }

    @Test
    void swappedNeighboursAMissingSymbolAndAForeignSymbolAreRefused() {
        char[] code = RecoveryCode.format(secret());
        char[] swapped = code.clone();
        int i = 5; // inside the second group
        while (swapped[i] == swapped[i + 1]) {
            i++;
            if (swapped[i + 1] == '-') {
                i += 2;
            }
        }
        char t = swapped[i];
        swapped[i] = swapped[i + 1];
        swapped[i + 1] = t;
        assertThatThrownBy(() -> RecoveryCode.parse(swapped)).hasMessageContaining("typo");

        char[] shorter = Arrays.copyOf(code, code.length - 1);
        assertThatThrownBy(() -> RecoveryCode.parse(shorter)).hasMessageContaining("too short");

        char[] foreign = code.clone();
        foreign[0] = 'U';
        assertThatThrownBy(() -> RecoveryCode.parse(foreign)).hasMessageContaining("'U'");
    }
}
