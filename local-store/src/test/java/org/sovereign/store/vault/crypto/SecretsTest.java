package org.sovereign.store.vault.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretsTest {

    @Test
    void utf8MatchesTheJdkEncoderForRandomValidTextPropertyStyle() {
        Random seeded = new Random(99L);
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            int length = seeded.nextInt(40);
            while (sb.length() < length) {
                int cp = switch (seeded.nextInt(4)) {
                    case 0 -> 0x20 + seeded.nextInt(0x5F);
                    case 1 -> 0xA0 + seeded.nextInt(0x700);
                    case 2 -> 0x3000 + seeded.nextInt(0x5000);
                    default -> 0x1F300 + seeded.nextInt(0x300);
                };
                sb.appendCodePoint(cp);
            }
            String text = sb.toString();
            assertThat(Secrets.utf8(text.toCharArray())).isEqualTo(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void rejectsUnpairedSurrogatesAndWipes() {
        assertThatThrownBy(() -> Secrets.utf8(new char[] {'a', '\uD800'}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid character");
        char[] chars = {'s', 'e', 'c'};
        byte[] bytes = {1, 2, 3};
        Secrets.wipe(chars);
        Secrets.wipe(bytes, null);
        assertThat(chars).containsOnly('\0');
        assertThat(bytes).containsOnly(0);
    }
}
