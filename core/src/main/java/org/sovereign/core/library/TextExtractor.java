package org.sovereign.core.library;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.select.NodeTraversor;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Locale;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Turns a document file into plain text for indexing: plain text and Markdown as they are (UTF-8, falling back to
 * ISO-8859-1), HTML through jsoup (visible text only, no scripts or styles), PDF through Apache PDFBox (pages in
 * reading order). Reads only; never changes the file. Refuses, with a plain reason, a document that breaks one of its
 * {@link DocumentLimits}.
 */
public final class TextExtractor {

    static {
        OfflineFonts.install();
    }

    private final DocumentLimits limits;

    /** With {@link DocumentLimits#DEFAULTS}. */
    public TextExtractor() {
        this(DocumentLimits.DEFAULTS);
    }

    public TextExtractor(DocumentLimits limits) {
        this.limits = limits;
    }

    public DocumentLimits limits() {
        return limits;
    }

    /**
     * Plain text of the document, NFC-normalised, with Windows and old Mac line ends turned into {@code \n}.
     *
     * @throws UnreadableDocumentException if it cannot be read, breaks one of the {@link DocumentLimits}, or makes the
     *         reader fail in any way (a structure nested deeply enough to exhaust the stack included); the message
     *         names the file and the reason
     */
    public String extract(Path file) {
        DocumentFormat format = DocumentFormat.of(file).orElseThrow(() -> new UnreadableDocumentException(
                file.getFileName() + " is not a format the library reads (text, Markdown, HTML or PDF).", null));
        String name = String.valueOf(file.getFileName());
        try {
            long size = Files.size(file);
            if (size > limits.maxFileBytes()) {
                throw new UnreadableDocumentException(name + " is larger than the library reads ("
                        + mib(limits.maxFileBytes()) + " at most); it was skipped.", null);
            }
            String text = switch (format) {
                case PLAIN_TEXT, MARKDOWN -> readText(file);
                case HTML -> html(file, name);
                case PDF -> pdf(file, name);
            };
            checkLength(text, name);
            return Normalizer.normalize(text.replace("\r\n", "\n").replace('\r', '\n'), Normalizer.Form.NFC);
        } catch (InvalidPasswordException e) {
            throw new UnreadableDocumentException(name + " is a password-protected PDF; it was skipped.", e);
        } catch (IOException e) {
            throw new UnreadableDocumentException(name + " could not be read: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (UnreadableDocumentException e) {
            throw e;
        } catch (StackOverflowError e) {
            throw new UnreadableDocumentException(name + " is built too deeply nested to read; it was skipped.", e);
        } catch (RuntimeException e) {
            // a reader's own failure on a malformed file: one plain line, the file is skipped
            throw new UnreadableDocumentException(name + " could not be read: it is damaged or malformed.", e);
        }
    }

    private void checkLength(String text, String name) {
        if (text.length() > limits.maxTextChars()) {
            throw new UnreadableDocumentException(name + " has more text than the library reads ("
                    + String.format(Locale.ROOT, "%,d", limits.maxTextChars())
                    + " characters at most); it was skipped.", null);
        }
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    private static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    private String html(Path file, String name) throws IOException {
        Document doc = Jsoup.parse(file.toFile(), null);
        int[] deepest = {0};
        NodeTraversor.traverse((node, depth) -> deepest[0] = Math.max(deepest[0], depth), doc);
        if (deepest[0] > limits.maxHtmlDepth()) {
            throw new UnreadableDocumentException(name + " nests its elements more deeply than the library reads ("
                    + limits.maxHtmlDepth() + " levels at most); it was skipped.", null);
        }
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

    private String pdf(Path file, String name) throws IOException {
        try (PDDocument doc = Loader.loadPDF(file.toFile(), null, null, null,
                MemoryUsageSetting.setupMainMemoryOnly(limits.maxPdfStreamBytes()).streamCache)) {
            if (doc.getNumberOfPages() > limits.maxPdfPages()) {
                throw new UnreadableDocumentException(name + " has more pages than the library reads ("
                        + String.format(Locale.ROOT, "%,d", limits.maxPdfPages()) + " at most); it was skipped.", null);
            }
            checkUnpackedSize(doc, name);
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            return stripper.getText(doc).strip();
        }
    }

    /**
     * Unpacks every Flate-compressed stream of the document once, counting and discarding the bytes, and refuses the
     * document as soon as they add up to more than the limit: PDFBox would otherwise unpack a content stream whole
     * into memory. Other filters either cannot grow much (run length, ASCII) or are images, which text extraction
     * does not decode.
     */
    private void checkUnpackedSize(PDDocument doc, String name) throws IOException {
        long budget = limits.maxPdfStreamBytes();
        byte[] sink = new byte[64 * 1024];
        for (COSObjectKey key : new ArrayList<>(doc.getDocument().getXrefTable().keySet())) {
            COSObject object = doc.getDocument().getObjectFromPool(key);
            if (!(object.getObject() instanceof COSStream stream)) {
                continue;
            }
            COSBase filters = stream.getFilters();
            COSBase first = filters instanceof COSArray array ? (array.size() > 0 ? array.getObject(0) : null) : filters;
            // Flate first in the chain: the raw bytes are zlib data (a later Flate after an ASCII filter is rare)
            boolean flate = COSName.FLATE_DECODE.equals(first) || COSName.FLATE_DECODE_ABBREVIATION.equals(first);
            if (!flate) {
                continue;
            }
            try (InputStream raw = stream.createRawInputStream();
                 InflaterInputStream in = new InflaterInputStream(raw)) {
                int n;
                while ((n = in.read(sink)) > 0) {
                    budget -= n;
                    if (budget < 0) {
                        throw new UnreadableDocumentException(name + " unpacks to more than the library reads ("
                                + mib(limits.maxPdfStreamBytes()) + " at most); it was skipped.", null);
                    }
                }
            } catch (ZipException | EOFException damaged) {
                // a damaged stream: PDFBox reads what it can of it, as before
            }
        }
    }
}
