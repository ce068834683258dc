package org.sovereign.core.library;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The words of a search query that carry its meaning: lower-cased, each once, without the common English words
 * ("the", "we", "how", ...) that occur in nearly every passage. Keyword search matches only these, and the window
 * highlights only these, as whole words.
 */
public final class QueryWords {

    private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{M}\\p{N}]+");

    /** Common English words (articles, pronouns, auxiliaries, prepositions, question words). */
    private static final Set<String> STOP_WORDS = Set.of(
            "a", "about", "above", "after", "again", "all", "am", "an", "and", "any", "are", "as", "at", "be",
            "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
            "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had", "has", "have",
            "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "if", "in", "into",
            "is", "it", "its", "itself", "just", "me", "more", "most", "my", "myself", "no", "nor", "not", "now",
            "of", "off", "on", "once", "only", "or", "other", "our", "ours", "ourselves", "out", "over", "own",
            "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "theirs", "them",
            "themselves", "then", "there", "these", "they", "this", "those", "through", "to", "too", "under",
            "until", "up", "us", "very", "was", "we", "were", "what", "when", "where", "which", "while", "who",
            "whom", "why", "will", "with", "would", "you", "your", "yours", "yourself", "yourselves", "s", "t");

    private QueryWords() {
    }

    /** The meaningful words of {@code query}, lower-cased, in order of first occurrence, each once. */
    public static List<String> of(String query) {
        String folded = Normalizer.normalize(query == null ? "" : query, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        Set<String> words = new LinkedHashSet<>();
        for (String w : SEPARATORS.split(folded)) {
            if (!w.isEmpty() && !STOP_WORDS.contains(w)) {
                words.add(w);
            }
        }
        return List.copyOf(words);
    }

    /** Whether {@code word} (any case) is one of the common words left out of queries. */
    public static boolean isStopWord(String word) {
        return STOP_WORDS.contains(word.toLowerCase(Locale.ROOT));
    }
}
