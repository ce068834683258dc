package org.sovereign.app.ui.library;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Splits a passage into runs, marking the places where a query word occurs (case-insensitive, at a word start). */
public final class Highlighter {

    /** A piece of the passage; {@code match} when it is one of the query words. */
    public record Run(String text, boolean match) {
    }

    private Highlighter() {
    }

    /** The runs of {@code text}, in order; concatenated they give back {@code text} exactly. */
    public static List<Run> runs(String text, String query) {
        List<String> words = Arrays.stream(query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+"))
                .filter(w -> !w.isBlank()).distinct().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        List<Run> runs = new ArrayList<>();
        if (words.isEmpty()) {
            runs.add(new Run(text, false));
            return runs;
        }
        Pattern pattern = Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + words.stream().map(Pattern::quote)
                .collect(Collectors.joining("|")) + ")", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
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
