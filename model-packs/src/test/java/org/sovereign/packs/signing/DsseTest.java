package org.sovereign.packs.signing;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class DsseTest {
    @Test
    void preAuthenticationEncodingMatchesTheProtocolExample() {
        byte[] pae = Dsse.pae("http://example.com/HelloWorld", "hello world".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8))
                .isEqualTo("DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    }

    @Test
    void lengthsCountBytesNotCharacters() {
        byte[] pae = Dsse.pae("t", "é".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(pae, StandardCharsets.UTF_8)).isEqualTo("DSSEv1 1 t 2 é");
    }
}
