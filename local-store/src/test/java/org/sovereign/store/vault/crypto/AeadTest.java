package org.sovereign.store.vault.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.sovereign.store.vault.TamperedDataException;

import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.crypto.AEADBadTagException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AeadTest {
    private final Aead aead = new Aead(new SecureRandom());

    @Test
    void wycheproofVectorsFor256BitKeysAnd96BitNonces() throws Exception {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("wycheproof-aes-gcm-subset.json")) {
            root = new ObjectMapper().readTree(in);
        }
        int valid = 0;
        int invalid = 0;
        for (JsonNode t : root.get("tests")) {
            byte[] key = Hex.decode(t.get("key").asText());
            byte[] iv = Hex.decode(t.get("iv").asText());
            byte[] aad = Hex.decode(t.get("aad").asText());
            byte[] msg = Hex.decode(t.get("msg").asText());
            byte[] ctTag = Hex.decode(t.get("ct").asText() + t.get("tag").asText());
            String id = "tcId " + t.get("tcId").asInt();
            if (t.get("result").asText().equals("valid")) {
                assertThat(Aead.encrypt(key, iv, aad, msg)).as(id).isEqualTo(ctTag);
                assertThat(Aead.decrypt(key, iv, aad, ctTag)).as(id).isEqualTo(msg);
                valid++;
            } else {
                assertThatThrownBy(() -> Aead.decrypt(key, iv, aad, ctTag)).as(id)
                        .isInstanceOf(AEADBadTagException.class);
                invalid++;
            }
        }
        assertThat(valid).isEqualTo(3);
        assertThat(invalid).isEqualTo(3);
    }

    @Test
    void sealedLayoutIsVersionNonceCiphertextTag() {
        try (KeyMaterial key = KeyMaterial.random(new SecureRandom())) {
            byte[] sealed = aead.seal(key, new byte[10], new byte[0]);
            assertThat(sealed).hasSize(1 + 12 + 10 + 16);
            assertThat(sealed[0]).isEqualTo(Aead.FORMAT_VERSION);
            byte[] again = aead.seal(key, new byte[10], new byte[0]);
            assertThat(again).isNotEqualTo(sealed);
        }
    }

    @Test
    void roundTripsAndRejectsEveryFlippedBitPropertyStyle() {
        Random seeded = new Random(20261124L);
        try (KeyMaterial key = KeyMaterial.random(new SecureRandom())) {
            for (int round = 0; round < 40; round++) {
                byte[] msg = new byte[seeded.nextInt(200)];
                seeded.nextBytes(msg);
                byte[] aad = new AeadContext("t" + seeded.nextInt(3), seeded.nextLong(), "c", "k").encode();
                byte[] sealed = aead.seal(key, msg, aad);
                assertThat(aead.open(key, sealed, aad)).isEqualTo(msg);

                byte[] tampered = sealed.clone();
                int bit = seeded.nextInt(tampered.length * 8);
                tampered[bit / 8] ^= (byte) (1 << (bit % 8));
                assertThatThrownBy(() -> aead.open(key, tampered, aad))
                        .isInstanceOf(TamperedDataException.class);
            }
        }
    }

    @Test
    void ciphertextIsBoundToItsContext() {
        try (KeyMaterial key = KeyMaterial.random(new SecureRandom())) {
            AeadContext home = new AeadContext("item", 7, "ciphertext", "key-a");
            byte[] sealed = aead.seal(key, "secret".getBytes(), home.encode());
            List<AeadContext> elsewhere = List.of(
                    new AeadContext("item", 8, "ciphertext", "key-a"),
                    new AeadContext("item", 7, "title", "key-a"),
                    new AeadContext("note", 7, "ciphertext", "key-a"),
                    new AeadContext("item", 7, "ciphertext", "key-b"));
            for (AeadContext other : elsewhere) {
                assertThatThrownBy(() -> aead.open(key, sealed, other.encode())).as(other.toString())
                        .isInstanceOf(TamperedDataException.class)
                        .hasMessageContaining("another row, column, table or key");
            }
            assertThat(aead.open(key, sealed, home.encode())).isEqualTo("secret".getBytes());
        }
    }

    @Test
    void wrongKeyAndTruncationFail() {
        try (KeyMaterial key = KeyMaterial.random(new SecureRandom());
             KeyMaterial other = KeyMaterial.random(new SecureRandom())) {
            byte[] sealed = aead.seal(key, "x".getBytes(), new byte[0]);
            assertThatThrownBy(() -> aead.open(other, sealed, new byte[0])).isInstanceOf(TamperedDataException.class);
            byte[] truncated = Arrays.copyOf(sealed, Aead.OVERHEAD - 1);
            assertThatThrownBy(() -> aead.open(key, truncated, new byte[0]))
                    .isInstanceOf(TamperedDataException.class).hasMessageContaining("too short");
        }
    }

    @Test
    void canonicalEncodingIsInjectivePropertyStyle() {
        Random seeded = new Random(42L);
        Set<String> seen = new HashSet<>();
        List<AeadContext> contexts = new ArrayList<>();
        String[] alphabet = {"", "a", "b", "ab", "a\u0000", "\u0001", "é"};
        for (String t : alphabet) {
            for (String c : alphabet) {
                for (String k : alphabet) {
                    contexts.add(new AeadContext(t, seeded.nextInt(3), c, k));
                }
            }
        }
        Set<AeadContext> distinct = new HashSet<>(contexts);
        for (AeadContext ctx : distinct) {
            seen.add(Hex.encode(ctx.encode()));
        }
        assertThat(seen).hasSize(distinct.size());
    }

    @Test
    void keyMaterialNeverPrintsItsBytesAndWipesOnClose() {
        KeyMaterial key = KeyMaterial.copyOf(new byte[32]);
        assertThat(key.toString()).contains("redacted").doesNotContain("0000");
        key.close();
        assertThat(key.isDestroyed()).isTrue();
        assertThat(key.toString()).contains("wiped");
        assertThatThrownBy(key::bytes).isInstanceOf(IllegalStateException.class);
    }
}
