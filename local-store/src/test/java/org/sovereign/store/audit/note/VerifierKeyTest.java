package org.sovereign.store.audit.note;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verifier key strings, key ids and raw/JDK Ed25519 key conversions. */
class VerifierKeyTest {
    private static final String PETER = SignedNoteTest.PETER_VKEY;

    @Test
    void parsesAndReencodesThePublishedKey() throws Exception {
        VerifierKey key = VerifierKey.parse(PETER);
        assertThat(key.name()).isEqualTo("PeterNeumann");
        assertThat(key.keyId()).isEqualTo(0xc74f20a3);
        assertThat(key.keyIdHex()).isEqualTo("c74f20a3");
        assertThat(key.publicKey()).hasSize(32);
        assertThat(key.encode()).isEqualTo(PETER);
        assertThat(VerifierKey.keyId("PeterNeumann", key.publicKey())).isEqualTo(0xc74f20a3);
        assertThat(VerifierKey.parse(SignedNoteTest.ENOCH_VKEY).keyId()).isEqualTo(0xaf0cfe78);
    }

    @Test
    void rejectsEveryTruncationAndEveryOneCharacterChange() {
        byte[] b = PETER.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i <= b.length; i++) {
            for (int j = i + 1; j <= b.length; j++) {
                if (i != 0 || j != b.length) {
                    String k = new String(b, i, j - i, StandardCharsets.US_ASCII);
                    assertThatThrownBy(() -> VerifierKey.parse(k)).as(k).isInstanceOf(InvalidVerifierKeyException.class);
                }
            }
        }
        for (int i = 0; i < b.length; i++) {
            byte[] m = b.clone();
            m[i]++;
            String k = new String(m, StandardCharsets.US_ASCII);
            assertThatThrownBy(() -> VerifierKey.parse(k)).as(k).isInstanceOf(InvalidVerifierKeyException.class);
        }
    }

    @Test
    void rejectsWrongLengthAndUnknownAlgorithmWithAdjustedIds() {
        // From note_test.go: key ids recomputed so that only the length / algorithm byte is wrong.
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(InvalidVerifierKeyException.class);
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(InvalidVerifierKeyException.class).hasMessageContaining("unsupported");
    }

    @Test
    void generatedKeysRoundTripThroughStringsAndJdkEncodings() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] raw = Ed25519Keys.rawPublicKey(pair.getPublic());
        assertThat(raw).hasSize(32);
        assertThat(Ed25519Keys.publicKey(raw).getEncoded()).isEqualTo(pair.getPublic().getEncoded());
        VerifierKey key = VerifierKey.ofEd25519("example.com/log", raw);
        assertThat(VerifierKey.parse(key.encode())).isEqualTo(key);
        assertThat(new Ed25519NoteSigner("example.com/log", pair).verifierKey()).isEqualTo(key);
        assertThatThrownBy(() -> VerifierKey.ofEd25519("example.com/log", new byte[31]))
                .isInstanceOf(InvalidVerifierKeyException.class);
        assertThatThrownBy(() -> VerifierKey.ofEd25519("a+b", raw)).isInstanceOf(InvalidVerifierKeyException.class);
        assertThatThrownBy(() -> VerifierKey.ofEd25519("", raw)).isInstanceOf(InvalidVerifierKeyException.class);
        assertThatThrownBy(() -> VerifierKey.ofEd25519("a\u00a0b", raw)).isInstanceOf(InvalidVerifierKeyException.class);
    }

    @Test
    void seedDerivedKeyPairMatchesThePublishedPublicKey() throws Exception {
        assertThat(SignedNoteTest.peterSigner().publicKey()).isEqualTo(VerifierKey.parse(PETER).publicKey());
    }
}
