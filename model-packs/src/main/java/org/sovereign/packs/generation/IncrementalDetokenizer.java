package org.sovereign.packs.generation;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * Turns generated tokens into text pieces as they arrive, and watches for stop strings.
 *
 * <p>Each new token's text is found by decoding a short window of recent tokens twice (with and without it) and
 * taking the difference, so decoders that strip a leading space at the start of a sequence still produce the right
 * spacing. Text is held back while it ends in an incomplete UTF-8 character (decoded as U+FFFD) and while its tail
 * could be the start of a stop string, so stop strings are never streamed, and while the last token is a byte-fallback
 * token (a run of them decodes as a whole: an invalid run becomes one U+FFFD per byte). Not thread-safe.
 */
final class IncrementalDetokenizer {

    private static final char REPLACEMENT = '\uFFFD';

    private final Function<long[], String> decoder;
    private final LongPredicate mergesWithNext;
    private final List<String> stopStrings;
    private final StringBuilder text = new StringBuilder();
    private long[] ids = new long[16];
    private int count;
    private int prefixOffset;
    private int readOffset;
    private int emitted;
    private boolean stopped;

    IncrementalDetokenizer(Function<long[], String> decoder, List<String> stopStrings) {
        this(decoder, id -> false, stopStrings);
    }

    /**
     * @param mergesWithNext tokens whose text may change with the next token (byte-fallback tokens): text is held back
     *                       while the last token is one, so what is streamed always equals the whole decoding
     */
    IncrementalDetokenizer(Function<long[], String> decoder, LongPredicate mergesWithNext, List<String> stopStrings) {
        this.decoder = decoder;
        this.mergesWithNext = mergesWithNext;
        this.stopStrings = stopStrings.stream().filter(s -> !s.isEmpty()).toList();
    }

    /** Adds a token and returns the text that may be shown now (possibly empty). */
    String push(long id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, count * 2);
        }
        ids[count++] = id;
        if (mergesWithNext.test(id)) {
            return release(text.length() - heldForStop());
        }
        String before = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
        String after = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, count));
        if (after.length() > before.length() && after.charAt(after.length() - 1) != REPLACEMENT) {
            // The window's decoding is assumed prefix-stable (true for byte-level and Metaspace decoders).
            text.append(after, before.length(), after.length());
            prefixOffset = readOffset;
            readOffset = count;
        }
        int stopAt = firstStop();
        if (stopAt >= 0) {
            text.setLength(stopAt);
            stopped = true;
            return release(stopAt);
        }
        return release(text.length() - heldForStop());
    }

    /** Releases whatever is still held back, at the end of generation. */
    String finish() {
        if (!stopped && readOffset < count) {
            String before = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, readOffset));
            String after = decoder.apply(Arrays.copyOfRange(ids, prefixOffset, count));
            if (after.length() > before.length()) {
                text.append(after, before.length(), after.length());
            }
            readOffset = count;
        }
        return release(text.length());
    }

    /** Whether a stop string has appeared; the text ends just before it. */
    boolean stopped() {
        return stopped;
    }

    /** All text so far, without any stop string. */
    String text() {
        return text.toString();
    }

    private String release(int upTo) {
        if (upTo <= emitted) {
            return "";
        }
        String piece = text.substring(emitted, upTo);
        emitted = upTo;
        return piece;
    }

    private int firstStop() {
        int best = -1;
        for (String stop : stopStrings) {
            int from = Math.max(0, emitted - stop.length());
            int at = text.indexOf(stop, from);
            if (at >= 0 && (best < 0 || at < best)) {
                best = at;
            }
        }
        return best;
    }

    /** Length of the longest tail of the text that is the start of some stop string. */
    private int heldForStop() {
        int held = 0;
        for (String stop : stopStrings) {
            for (int n = Math.min(stop.length() - 1, text.length() - emitted); n > held; n--) {
                if (tailEquals(stop, n)) {
                    held = n;
                    break;
                }
            }
        }
        return held;
    }

    private boolean tailEquals(String stop, int n) {
        int offset = text.length() - n;
        for (int i = 0; i < n; i++) {
            if (text.charAt(offset + i) != stop.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
