package org.sovereign.core.library;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToIntFunction;

/**
 * Cuts extracted text into passages of about {@code targetTokens} tokens, at sentence boundaries where possible,
 * each overlapping the previous one by about {@code overlapTokens} so a fact split across a boundary is still found.
 * Offsets point into the original text so a citation can open the document at the passage.
 */
public final class Chunker {

    private final int targetTokens;
    private final int overlapTokens;
    private final ToIntFunction<String> tokenCounter;
    private final int maxPassages;

    /**
     * @param tokenCounter counts tokens of a piece of text (the embedding model's tokenizer, or
     *                     {@link #approximateTokens(String)})
     */
    public Chunker(int targetTokens, int overlapTokens, ToIntFunction<String> tokenCounter) {
        this(targetTokens, overlapTokens, tokenCounter, DocumentLimits.DEFAULTS);
    }

    /** As {@link #Chunker(int, int, ToIntFunction)}, cutting at most {@code limits.maxPassages()} passages. */
    public Chunker(int targetTokens, int overlapTokens, ToIntFunction<String> tokenCounter, DocumentLimits limits) {
        if (targetTokens < 8 || overlapTokens < 0 || overlapTokens >= targetTokens / 2) {
            throw new IllegalArgumentException("Need targetTokens >= 8 and 0 <= overlap < target/2.");
        }
        this.targetTokens = targetTokens;
        this.overlapTokens = overlapTokens;
        this.tokenCounter = tokenCounter;
        this.maxPassages = limits.maxPassages();
    }

    /** About 200 tokens with 40 of overlap, counted approximately. */
    public static Chunker defaults() {
        return new Chunker(200, 40, Chunker::approximateTokens);
    }

    /** A text would make more passages than {@link DocumentLimits#maxPassages()}. */
    public static final class TooManyPassagesException extends RuntimeException {
        private final int limit;

        TooManyPassagesException(int limit) {
            super("more than " + limit + " passages");
            this.limit = limit;
        }

        public int limit() {
            return limit;
        }
    }

    /** Word-piece tokenizers make about 4 tokens of 3 words of English prose; punctuation counts as a token. */
    public static int approximateTokens(String text) {
        int words = 0;
        int punctuation = 0;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                if (!inWord) {
                    words++;
                }
                inWord = true;
            } else {
                inWord = false;
                if (!Character.isWhitespace(c)) {
                    punctuation++;
                }
            }
        }
        return (int) Math.ceil(words * 4 / 3.0) + punctuation;
    }

    /**
     * The passages of {@code text}, in order.
     *
     * @throws TooManyPassagesException as soon as there would be more than the limit (the caller names the document)
     */
    public List<Chunk> split(String text) {
        List<int[]> sentences = sentences(text);
        List<Chunk> chunks = new ArrayList<>();
        int i = 0;
        while (i < sentences.size()) {
            int start = sentences.get(i)[0];
            int end = start;
            int tokens = 0;
            int j = i;
            while (j < sentences.size()) {
                int[] s = sentences.get(j);
                int t = tokenCounter.applyAsInt(text.substring(s[0], s[1]));
                if (tokens > 0 && tokens + t > targetTokens) {
                    break;
                }
                tokens += t;
                end = s[1];
                j++;
            }
            if (chunks.size() == maxPassages) {
                throw new TooManyPassagesException(maxPassages);
            }
            String passage = text.substring(start, end);
            chunks.add(new Chunk(chunks.size(), start, end, passage, tokenCounter.applyAsInt(passage)));
            if (j >= sentences.size()) {
                break;
            }
            // step back over whole sentences worth about overlapTokens, but always move forward
            int back = j;
            int overlap = 0;
            while (back - 1 > i) {
                int[] s = sentences.get(back - 1);
                int t = tokenCounter.applyAsInt(text.substring(s[0], s[1]));
                if (overlap + t > overlapTokens) {
                    break;
                }
                overlap += t;
                back--;
            }
            i = back;
        }
        return chunks;
    }

    /** Sentence spans, each trimmed of surrounding white space; a sentence longer than the target is cut by words. */
    private List<int[]> sentences(String text) {
        List<int[]> spans = new ArrayList<>();
        BreakIterator it = BreakIterator.getSentenceInstance(Locale.ROOT);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            int s = start;
            int e = end;
            while (s < e && Character.isWhitespace(text.charAt(s))) {
                s++;
            }
            while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
                e--;
            }
            if (s < e) {
                cutLong(text, s, e, spans);
            }
        }
        return spans;
    }

    private void cutLong(String text, int s, int e, List<int[]> spans) {
        if (tokenCounter.applyAsInt(text.substring(s, e)) <= targetTokens) {
            spans.add(new int[] {s, e});
            return;
        }
        // counted word by word, so a very long run without sentence ends stays linear
        BreakIterator words = BreakIterator.getWordInstance(Locale.ROOT);
        words.setText(text.substring(s, e));
        int pieceStart = s;
        int pieceTokens = 0;
        int wordStart = s;
        for (int b = words.next(); b != BreakIterator.DONE; b = words.next()) {
            int abs = s + b;
            int t = tokenCounter.applyAsInt(text.substring(wordStart, abs));
            if (pieceTokens > 0 && pieceTokens + t > targetTokens) {
                int pieceEnd = wordStart;
                while (pieceEnd > pieceStart && Character.isWhitespace(text.charAt(pieceEnd - 1))) {
                    pieceEnd--;
                }
                spans.add(new int[] {pieceStart, pieceEnd});
                pieceStart = wordStart;
                while (pieceStart < abs && Character.isWhitespace(text.charAt(pieceStart))) {
                    pieceStart++;
                }
                pieceTokens = 0;
            }
            pieceTokens += t;
            wordStart = abs;
        }
        if (pieceStart < e) {
            spans.add(new int[] {pieceStart, e});
        }
    }
}
