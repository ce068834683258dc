package org.sovereign.core.library;

/**
 * A passage of a document: what gets embedded, retrieved and cited.
 *
 * @param index  0-based position in the document
 * @param start  offset of the first character in the extracted text
 * @param end    offset after the last character
 * @param text   the passage ({@code fullText.substring(start, end)})
 * @param tokens its length in tokens as counted by the chunker's counter
 */
public record Chunk(int index, int start, int end, String text, int tokens) {
}
