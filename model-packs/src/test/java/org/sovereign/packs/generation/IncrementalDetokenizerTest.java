package org.sovereign.packs.generation;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class IncrementalDetokenizerTest {

    /** A byte-level "tokenizer": each id is one byte; invalid UTF-8 decodes to U+FFFD like the Rust decoder. */
    private static final Function<long[], String> BYTES = ids -> {
        byte[] bytes = new byte[ids.length];
        for (int i = 0; i < ids.length; i++) {
            bytes[i] = (byte) ids[i];
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    };

    private static long[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xff;
        }
        return ids;
    }

    @Test
    void holdsIncompleteCharactersUntilTheyAreWhole() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(BYTES, List.of());
        long[] snowman = utf8("\u2603");

        assertThat(d.push(utf8("a")[0])).isEqualTo("a");
        assertThat(d.push(snowman[0])).isEmpty();
        assertThat(d.push(snowman[1])).isEmpty();
        assertThat(d.push(snowman[2])).isEqualTo("\u2603");
        assertThat(d.finish()).isEmpty();
        assertThat(d.text()).isEqualTo("a\u2603");
    }

    @Test
    void releasesADanglingPartialCharacterAtTheEnd() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(BYTES, List.of());
        d.push('x');
        assertThat(d.push(utf8("\u2603")[0])).isEmpty();
        assertThat(d.finish()).isEqualTo("\uFFFD");
    }

    @Test
    void stopStringSpanningTokensIsHeldBackAndCutOff() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(BYTES, List.of("END"));
        StringBuilder shown = new StringBuilder();
        for (long id : utf8("ok EN")) {
            shown.append(d.push(id));
        }
        assertThat(shown.toString()).isEqualTo("ok ");
        shown.append(d.push('D'));

        assertThat(d.stopped()).isTrue();
        assertThat(shown.toString()).isEqualTo("ok ");
        assertThat(d.text()).isEqualTo("ok ");
    }

    @Test
    void aFalseStartOfAStopStringIsReleased() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(BYTES, List.of("END"));
        StringBuilder shown = new StringBuilder();
        for (long id : utf8("ENx E")) {
            shown.append(d.push(id));
        }
        assertThat(shown.toString()).isEqualTo("ENx ");
        shown.append(d.finish());
        assertThat(d.stopped()).isFalse();
        assertThat(shown.toString()).isEqualTo("ENx E");
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() {
        IncrementalDetokenizer d = new IncrementalDetokenizer(BYTES, List.of("cd", "b"));
        for (long id : utf8("abcd")) {
            d.push(id);
            if (d.stopped()) {
                break;
            }
        }
        assertThat(d.text()).isEqualTo("a");
    }

    /**
     * Byte fallback as the Rust decoder does it: ids below 256 are byte tokens, and a run of them that is no valid
     * UTF-8 becomes one U+FFFD per byte; 1000 is the word " x".
     */
    private static final Function<long[], String> BYTE_FALLBACK = ids -> {
        StringBuilder out = new StringBuilder();
        java.io.ByteArrayOutputStream run = new java.io.ByteArrayOutputStream();
        Runnable flush = () -> {
            byte[] bytes = run.toByteArray();
            try {
                out.append(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)));
            } catch (CharacterCodingException invalid) {
                out.append("\uFFFD".repeat(bytes.length));
            }
            run.reset();
        };
        for (long id : ids) {
            if (id < 256) {
                run.write((int) id);
            } else {
                flush.run();
                out.append(" x");
            }
        }
        flush.run();
        return out.toString();
    };

    @Test
    void aByteFallbackRunIsStreamedOnlyWhenWholeSoTheStreamEqualsTheWholeDecoding() {
        long[] ids = {0x0B, 0x80, 1000};
        String whole = BYTE_FALLBACK.apply(ids);
        assertThat(whole).isEqualTo("\uFFFD\uFFFD x");

        IncrementalDetokenizer held = new IncrementalDetokenizer(BYTE_FALLBACK, id -> id < 256, List.of());
        StringBuilder streamed = new StringBuilder();
        for (long id : ids) {
            streamed.append(held.push(id));
        }
        streamed.append(held.finish());
        assertThat(streamed.toString()).isEqualTo(whole);

        IncrementalDetokenizer unaware = new IncrementalDetokenizer(BYTE_FALLBACK, List.of());
        StringBuilder naive = new StringBuilder();
        for (long id : ids) {
            naive.append(unaware.push(id));
        }
        naive.append(unaware.finish());
        assertThat(naive.toString()).as("what streaming did before").isEqualTo("\u000B\uFFFD x");
    }
}
