package org.sovereign.core.library;

import java.nio.file.Path;

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

    /** A passage whose document version is not known. */
    public Passage(Path document, int chunkIndex, int start, int end, String text, double score) {
        this(document, chunkIndex, start, end, text, score, "");
    }
}
