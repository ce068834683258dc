package org.sovereign.core.library;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A retrieved passage with where it comes from, so an answer can cite it and the person can open the document there.
 *
 * @param document   the file
 * @param chunkIndex the passage's position in the document
 * @param start      character offset in the extracted text
 * @param end        end offset
 * @param text       the passage
 * @param score      fused retrieval score (higher is better)
 * @param documentVersion the salted commitment to the document's content (SHA-256) it was indexed from, as written to
 *                   the audit log when the document was ingested; empty if unknown
 */
public record Passage(Path document, int chunkIndex, int start, int end, String text, double score,
                      String documentVersion) {

    public Passage {
        documentVersion = documentVersion == null ? "" : documentVersion;
    }

    /** A Markdown heading's opening marks ("#" to "######" and the spaces after them) at the start of a line. */
    private static final Pattern HEADING_MARKS = Pattern.compile("(?m)^[ \\t]{0,3}#{1,6}(?:[ \\t]+|$)");

    /**
     * The passage as a person reads it: for a Markdown document, without the "#" marks that open its headings (the
     * heading's words stay). Other documents' text as it is. {@link #text()} keeps the exact extracted text, which the
     * offsets refer to.
     */
    public String shownText() {
        return shownText(document, text);
    }

    /** As {@link #shownText()}, for a passage {@code text} of {@code document} kept elsewhere (a stored citation). */
    public static String shownText(Path document, String text) {
        return document != null && DocumentFormat.of(document).filter(f -> f == DocumentFormat.MARKDOWN).isPresent()
                ? HEADING_MARKS.matcher(text).replaceAll("") : text;
    }

    /** A passage whose document version is not known. */
    public Passage(Path document, int chunkIndex, int start, int end, String text, double score) {
        this(document, chunkIndex, start, end, text, score, "");
    }
}
