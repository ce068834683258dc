package org.sovereign.core.library;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;

/**
 * Turns a document file into plain text for indexing: plain text and Markdown as they are (UTF-8, falling back to
 * ISO-8859-1), HTML through jsoup (visible text only, no scripts or styles), PDF through Apache PDFBox (pages in
 * reading order). Reads only; never changes the file.
 */
public final class TextExtractor {

    /** Plain text of the document, NFC-normalised, with Windows and old Mac line ends turned into {@code \n}. */
    public String extract(Path file) {
        DocumentFormat format = DocumentFormat.of(file).orElseThrow(() -> new UnreadableDocumentException(
                file.getFileName() + " is not a format the library reads (text, Markdown, HTML or PDF).", null));
        try {
            String text = switch (format) {
                case PLAIN_TEXT, MARKDOWN -> readText(file);
                case HTML -> html(file);
                case PDF -> pdf(file);
            };
            return Normalizer.normalize(text.replace("\r\n", "\n").replace('\r', '\n'), Normalizer.Form.NFC);
        } catch (InvalidPasswordException e) {
            throw new UnreadableDocumentException(file.getFileName() + " is a password-protected PDF; it was skipped.", e);
        } catch (IOException e) {
            throw new UnreadableDocumentException(file.getFileName() + " could not be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
    }

    private static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private static String html(Path file) throws IOException {
        Document doc = Jsoup.parse(file.toFile(), null);
        doc.select("script, style, noscript, template").remove();
        StringBuilder sb = new StringBuilder();
        if (!doc.title().isBlank()) {
            sb.append(doc.title()).append("\n\n");
        }
        doc.body().select("h1, h2, h3, h4, h5, h6, p, li, pre, blockquote, td, th, dt, dd").forEach(el -> {
            if (el.parents().stream().noneMatch(p -> p.is("p, li, pre, blockquote, td, th, dt, dd"))) {
                String text = el.is("pre") ? el.wholeText() : el.text();
                if (!text.isBlank()) {
                    sb.append(text.strip()).append("\n\n");
                }
            }
        });
        if (sb.toString().strip().equals(doc.title().strip())) {
            sb.append(doc.body().text()); // a page without block elements: take all its text
        }
        return sb.toString().strip();
    }

    private static String pdf(Path file) throws IOException {
        try (PDDocument doc = Loader.loadPDF(file.toFile())) {
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return stripper.getText(doc).strip();
        }
    }
}
