package org.sovereign.core.library;

/**
 * Hard limits on what the library reads from one document, so a hostile or broken file cannot take the memory, the
 * time or the stack of the process: it is skipped with a plain reason instead. {@link #DEFAULTS} fit every ordinary
 * document (a long book is far below them).
 *
 * @param maxFileBytes       largest file read at all (checked before reading)
 * @param maxPdfPages        most pages of a PDF
 * @param maxPdfStreamBytes  most bytes the compressed streams of one PDF may unpack to, all together (a "flate bomb"
 *                           unpacks a small file to gigabytes); measured while unpacking, before the text is read
 * @param maxTextChars       most characters of extracted text
 * @param maxPassages        most passages stored for one document
 * @param maxHtmlDepth       deepest element nesting of an HTML page
 */
public record DocumentLimits(long maxFileBytes, int maxPdfPages, long maxPdfStreamBytes, int maxTextChars,
                             int maxPassages, int maxHtmlDepth) {

    /** 64 MiB, 5,000 pages, 128 MiB unpacked, 8 million characters, 20,000 passages, 256 levels. */
    public static final DocumentLimits DEFAULTS = new DocumentLimits(64L << 20, 5_000, 128L << 20, 8_000_000,
            20_000, 256);

    public DocumentLimits {
        if (maxFileBytes < 1 || maxPdfPages < 1 || maxPdfStreamBytes < 1 || maxTextChars < 1 || maxPassages < 1
                || maxHtmlDepth < 1) {
            throw new IllegalArgumentException("Every document limit must be at least 1.");
        }
    }
}
