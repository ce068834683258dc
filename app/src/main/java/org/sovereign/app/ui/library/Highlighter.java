package org.sovereign.app.ui.library;

import org.sovereign.core.library.QueryWords;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits a passage into runs, marking where a meaningful query word occurs as a whole word (case-insensitive): "we"
 * is never marked inside "week", and common words ({@link QueryWords}) are not marked at all.
 */
public final class Highlighter {

    /** A piece of the passage; {@code match} when it is one of the query words. */
    public record Run(String text, boolean match) {
    }

    private Highlighter() {
    }

    /** The runs of {@code text}, in order; concatenated they give back {@code text} exactly. */
    public static List<Run> runs(String text, String query) {
        List<String> words = QueryWords.of(query).stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        List<Run> runs = new ArrayList<>();
        if (words.isEmpty()) {
            runs.add(new Run(text, false));
            return runs;
        }
        Pattern pattern = Pattern.compile("(?<![\\p{L}\\p{M}\\p{N}])(?:" + words.stream().map(Pattern::quote)
                        .collect(Collectors.joining("|")) + ")(?![\\p{L}\\p{M}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        Matcher m = pattern.matcher(text);
        int at = 0;
        while (m.find()) {
            if (m.start() > at) {
                runs.add(new Run(text.substring(at, m.start()), false));
            }
            runs.add(new Run(m.group(), true));
            at = m.end();
        }
        if (at < text.length()) {
            runs.add(new Run(text.substring(at), false));
        }
        return runs;
    }
}
