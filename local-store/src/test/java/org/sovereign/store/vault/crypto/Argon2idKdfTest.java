package org.sovereign.store.vault.crypto;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Argon2idKdfTest {

    /** RFC 9106 §5.3 (Argon2id, version 0x13): m=32 KiB, t=3, p=4, with secret and associated data. */
    @Test
    void matchesRfc9106Argon2idTestVector() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);

        byte[] tag = Argon2idKdf.argon2id(password, salt, secret, ad, new KdfParams(32, 3, 4), 32);

        assertThat(Hex.encode(tag)).isEqualTo(
                "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
    }

    @Test
    void derivedKeyDependsOnPassphraseSaltAndEveryParameter() {
        byte[] salt = filled(16, 0x07);
        KdfParams small = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
        try (KeyMaterial a = Argon2idKdf.deriveKey("correct horse".toCharArray(), salt, small);
             KeyMaterial again = Argon2idKdf.deriveKey("correct horse".toCharArray(), salt, small);
             KeyMaterial otherPass = Argon2idKdf.deriveKey("correct horsf".toCharArray(), salt, small);
             KeyMaterial otherSalt = Argon2idKdf.deriveKey("correct horse".toCharArray(), filled(16, 8), small);
             KeyMaterial otherT = Argon2idKdf.deriveKey("correct horse".toCharArray(), salt,
                     new KdfParams(KdfParams.MIN_MEMORY_KIB, 2, 1));
             KeyMaterial otherP = Argon2idKdf.deriveKey("correct horse".toCharArray(), salt,
                     new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 2))) {
            assertThat(a.sameKeyAs(again)).isTrue();
            assertThat(a.sameKeyAs(otherPass)).isFalse();
            assertThat(a.sameKeyAs(otherSalt)).isFalse();
            assertThat(a.sameKeyAs(otherT)).isFalse();
            assertThat(a.sameKeyAs(otherP)).isFalse();
        }
    }

    @Test
    void passphraseIsEncodedAsUtf8AndNotModified() {
        char[] pass = "pässwörd-🔑".toCharArray();
        char[] copy = pass.clone();
        byte[] salt = filled(16, 0x09);
        KdfParams small = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);
        try (KeyMaterial viaChars = Argon2idKdf.deriveKey(pass, salt, small)) {
            byte[] expected = Argon2idKdf.argon2id("pässwörd-🔑".getBytes(StandardCharsets.UTF_8),
                    salt, null, null, small, 32);
            try (KeyMaterial viaBytes = KeyMaterial.copyOf(expected)) {
                assertThat(viaChars.sameKeyAs(viaBytes)).isTrue();
            }
        }
        assertThat(pass).isEqualTo(copy);
    }

    /** The one test that runs the (slow) defaults: m=64 MiB, t=3, p=min(cores,4). */
    @Test
    void defaultsFollowRfc9106SecondRecommendationAndWork() {
        KdfParams defaults = KdfParams.defaults();
        assertThat(defaults.memoryKiB()).isEqualTo(65536);
        assertThat(defaults.iterations()).isEqualTo(3);
        assertThat(defaults.parallelism())
                .isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 4));
        try (KeyMaterial key = Argon2idKdf.deriveKey("pw".toCharArray(), filled(16, 1), defaults)) {
            assertThat(key.isDestroyed()).isFalse();
        }
    }

    @Test
    void invalidParametersAreRejected() {
        assertThatThrownBy(() -> new KdfParams(8, 1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KdfParams(8192, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KdfParams(8192, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new KdfParams(4096, 1, 1).meetsMinimum()).isFalse();
        assertThat(new KdfParams(8192, 1, 1).meetsMinimum()).isTrue();
    }

    private static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        return b;
    }
    @Test
    void calibrationScalesPassesFromOneMeasuredPassKeepingMemoryAndLanes() {
        KdfParams base = new KdfParams(64 * 1024, 3, 2);
        List<KdfParams> measured = new ArrayList<>();
        Iterator<Long> times = List.of(400_000_000L, 80_000_000L).iterator(); // cold, then warm

        KdfParams chosen = Argon2idKdf.calibrate(base, Duration.ofMillis(750), p -> {
            measured.add(p);
            return times.next();
        });

        assertThat(measured).containsOnly(new KdfParams(64 * 1024, 1, 2)).hasSize(2);
        assertThat(chosen).isEqualTo(new KdfParams(64 * 1024, 10, 2)); // ceil(750 / 80), from the faster run
    }

    @Test
    void calibrationNeverGoesBelowTheDefaultPassesNorAboveTheMaximum() {
        KdfParams base = new KdfParams(64 * 1024, 3, 2);
        assertThat(Argon2idKdf.calibrate(base, Duration.ofMillis(750), p -> 600_000_000L).iterations()).isEqualTo(3);
        assertThat(Argon2idKdf.calibrate(base, Duration.ofMillis(750), p -> 1_000L).iterations())
                .isEqualTo(KdfParams.MAX_ITERATIONS);
    }
}
