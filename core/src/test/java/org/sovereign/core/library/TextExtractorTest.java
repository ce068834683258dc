package org.sovereign.core.library;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextExtractorTest {

    private final TextExtractor extractor = new TextExtractor();

    @TempDir
    Path dir;

    @Test
    void readsPlainTextAndMarkdownAsTheyAre() throws Exception {
        Path md = Files.writeString(dir.resolve("notes.md"), "# Beekeeping\r\n\r\nThe queen lays up to 2000 eggs a day.\r\n");
        assertThat(extractor.extract(md)).isEqualTo("# Beekeeping\n\nThe queen lays up to 2000 eggs a day.\n");

        Path latin1 = dir.resolve("old.txt");
        Files.write(latin1, "Caf\u00e9 cr\u00e8me".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(extractor.extract(latin1)).isEqualTo("Caf\u00e9 cr\u00e8me");
    }

    @Test
    void takesOnlyTheVisibleTextOfHtml() throws Exception {
        Path html = Files.writeString(dir.resolve("page.html"), """
                <html><head><title>Hives</title><style>p{color:red}</style><script>track()</script></head>
                <body><h1>Winter care</h1><p>Keep the entrance <b>clear</b> of snow.</p>
                <ul><li>Check weight monthly</li></ul></body></html>""");

        assertThat(extractor.extract(html)).isEqualTo("Hives\n\nWinter care\n\nKeep the entrance clear of snow.\n\nCheck weight monthly");
    }

    @Test
    void readsTheTextOfARealPdf() throws Exception {
        Path pdf = dir.resolve("report.pdf");
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage();
            doc.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText("Varroa mites are counted with a sugar roll.");
                content.endText();
            }
            doc.save(pdf.toFile());
        }

        assertThat(extractor.extract(pdf)).isEqualTo("Varroa mites are counted with a sugar roll.");
    }

    @Test
    void aCorruptPdfIsAPlainErrorNamingTheFile() throws Exception {
        Path pdf = Files.write(dir.resolve("broken.pdf"), "%PDF-1.7\nthis is not really a pdf".getBytes(StandardCharsets.US_ASCII));

        assertThatThrownBy(() -> extractor.extract(pdf))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessageStartingWith("broken.pdf could not be read");
    }

    @Test
    void anUnsupportedFormatIsAPlainError() throws Exception {
        Path exe = Files.write(dir.resolve("tool.exe"), new byte[] {0x4d, 0x5a});

        assertThatThrownBy(() -> extractor.extract(exe))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessage("tool.exe is not a format the library reads (text, Markdown, HTML or PDF).");
    }
}
