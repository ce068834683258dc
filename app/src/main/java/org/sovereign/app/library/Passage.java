package org.sovereign.app.library;

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
 */
public record Passage(Path document, int chunkIndex, int start, int end, String text, double score) {
}
