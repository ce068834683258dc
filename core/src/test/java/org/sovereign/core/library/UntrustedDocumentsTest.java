package org.sovereign.core.library;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.io.ByteArrayOutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.UUID;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hostile documents (the "malicious document" part of the threat model): each one breaks a {@link DocumentLimits}
 * limit or the reader itself, is skipped with a plain reason, and the rest of the folder is still indexed.
 */
class UntrustedDocumentsTest {

    private static final String PURPOSE = "private assistant";

    @TempDir
    Path tmp;
    private Path folder;
    private LocalStore store;

    @BeforeEach
    void setUp() throws Exception {
        folder = Files.createDirectories(tmp.resolve("inbox"));
        Files.writeString(folder.resolve("z-notes.md"), "Swarm traps go up in April, at head height, facing south.");
        store = LocalStore.create(tmp.resolve("home"), "untrusted documents passphrase".toCharArray(),
                TestKdf.FAST, Clock.systemUTC());
        ConsentFixture.consent().purpose(PURPOSE).source(folder).operations(Operation.INDEX).grantIn(store);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private IndexReport index(DocumentLimits limits) {
        LibraryService library = new LibraryService(store, ChunkStore.forSession(store.session()),
                new TextExtractor(limits), new Chunker(200, 40, Chunker::approximateTokens, limits), null);
        return library.index(folder, PURPOSE, Progress.NONE);
    }

    /** A reason is one plain line: no exception class, no stack. */
    private static void assertPlain(String reason) {
        assertThat(reason).doesNotContain("Exception", "Error", "\n", "\tat ");
    }

    @Test
    void aPdfWhosePageTreeExhaustsTheStackIsSkippedAndTheFilesAfterItAreIndexed() throws Exception {
        Path nested = folder.resolve("a-nested.pdf"); // sorted first: before, every rerun died on it
        Files.write(nested, nestedPageTree(50_000));

        IndexReport report = index(DocumentLimits.DEFAULTS);

        assertThat(report.indexed()).containsExactly(folder.resolve("z-notes.md"));
        assertThat(report.failed()).containsOnlyKeys(nested);
        assertThat(report.failed().get(nested)).isEqualTo("a-nested.pdf is built too deeply nested to read; it was skipped.");
        assertPlain(report.failed().get(nested));
        assertThat(new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(),
                Chunker.defaults(), null).search("swarm traps", 3, PURPOSE)).isNotEmpty();
    }

    @Test
    void aFlateBombPdfIsRefusedWhileUnpackingNotAfter() throws Exception {
        Path bomb = folder.resolve("bomb.pdf");
        Files.write(bomb, flateBomb(32 << 20)); // 32 MiB of content in about 32 KiB
        assertThat(Files.size(bomb)).isLessThan(100_000);
        DocumentLimits limits = new DocumentLimits(64L << 20, 5_000, 4L << 20, 8_000_000, 20_000, 256);

        assertThatThrownBy(() -> new TextExtractor(limits).extract(bomb))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessage("bomb.pdf unpacks to more than the library reads (4 MiB at most); it was skipped.");
        IndexReport report = index(limits);
        assertThat(report.failed()).containsOnlyKeys(bomb);
        assertThat(report.indexed()).containsExactly(folder.resolve("z-notes.md"));
    }

    @Test
    void aPdfWithMorePagesThanTheLimitIsRefused() throws Exception {
        Path pages = folder.resolve("pages.pdf");
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < 3; i++) {
                doc.addPage(new PDPage());
            }
            doc.save(pages.toFile());
        }
        DocumentLimits limits = new DocumentLimits(64L << 20, 2, 128L << 20, 8_000_000, 20_000, 256);

        assertThatThrownBy(() -> new TextExtractor(limits).extract(pages))
                .hasMessage("pages.pdf has more pages than the library reads (2 at most); it was skipped.");
        assertThat(new TextExtractor().extract(pages)).isEmpty();
    }

    @Test
    void aFileLargerThanTheLimitIsRefusedBeforeItIsRead() throws Exception {
        Path huge = folder.resolve("huge.txt");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(200L << 20); // 200 MiB, sparse: takes no disk space
        }
        assertThatThrownBy(() -> new TextExtractor().extract(huge))
                .isInstanceOf(UnreadableDocumentException.class)
                .hasMessage("huge.txt is larger than the library reads (64 MiB at most); it was skipped.");

        IndexReport report = index(DocumentLimits.DEFAULTS);
        assertThat(report.failed()).containsOnlyKeys(huge);
        assertThat(report.indexed()).containsExactly(folder.resolve("z-notes.md"));
    }

    @Test
    void extractedTextLongerThanTheLimitIsRefused() throws Exception {
        Path text = Files.writeString(folder.resolve("long.txt"), "word ".repeat(100));
        DocumentLimits limits = new DocumentLimits(64L << 20, 5_000, 128L << 20, 400, 20_000, 256);

        assertThatThrownBy(() -> new TextExtractor(limits).extract(text))
                .hasMessage("long.txt has more text than the library reads (400 characters at most); it was skipped.");
        assertThat(new TextExtractor().extract(text)).hasSize(500);
    }

    @Test
    void aDocumentThatWouldMakeTooManyPassagesIsSkipped() throws Exception {
        Path many = Files.writeString(folder.resolve("many.md"), "A sentence about hive frames and wax. ".repeat(200));
        DocumentLimits limits = new DocumentLimits(64L << 20, 5_000, 128L << 20, 8_000_000, 3, 256);

        IndexReport report = index(limits);

        assertThat(report.failed()).containsEntry(many,
                "many.md would make more than 3 passages, more than the library stores for one document; it was skipped.");
        assertThat(report.indexed()).containsExactly(folder.resolve("z-notes.md"));
        assertThatThrownBy(() -> new Chunker(200, 40, Chunker::approximateTokens, limits).split(Files.readString(many)))
                .isInstanceOf(Chunker.TooManyPassagesException.class);
    }

    @Test
    void htmlNestedDeeperThanTheLimitIsRefused() throws Exception {
        Path deep = Files.writeString(folder.resolve("deep.html"),
                "<html><body>" + "<div>".repeat(1_000) + "hidden" + "</div>".repeat(1_000) + "</body></html>");
        Path shallow = Files.writeString(folder.resolve("shallow.html"),
                "<html><body>" + "<div>".repeat(100) + "<p>seen</p>" + "</div>".repeat(100) + "</body></html>");

        assertThatThrownBy(() -> new TextExtractor().extract(deep))
                .hasMessage("deep.html nests its elements more deeply than the library reads (256 levels at most); "
                        + "it was skipped.");
        assertThat(new TextExtractor().extract(shallow)).isEqualTo("seen");
    }

    // ---- hostile PDFs, written byte by byte

    /** A catalog over {@code depth} page-tree nodes, each the only kid of the one before, over one page. */
    static byte[] nestedPageTree(int depth) {
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        for (int i = 0; i < depth; i++) {
            objects.add("<< /Type /Pages /Kids [" + (i + 3) + " 0 R] /Count 1"
                    + (i == 0 ? "" : " /Parent " + (i + 1) + " 0 R") + " >>");
        }
        objects.add("<< /Type /Page /Parent " + (depth + 1) + " 0 R /MediaBox [0 0 612 792] >>");
        return pdf(objects, List.of());
    }

    /** One page whose content stream is {@code size} zero bytes (white space to a PDF), Flate-compressed. */
    static byte[] flateBomb(int size) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(new byte[size]);
        deflater.finish();
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            compressed.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        List<String> objects = List.of("<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                "<< /Length " + compressed.size() + " /Filter /FlateDecode >>");
        return pdf(objects, List.of(compressed.toByteArray()));
    }

    /** A PDF of the given objects (numbered from 1); the last {@code streams.size()} objects get these stream bodies. */
    private static byte[] pdf(List<String> objects, List<byte[]> streams) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "%PDF-1.7\n");
        long[] offsets = new long[objects.size()];
        int firstStream = objects.size() - streams.size();
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\n");
            if (i >= firstStream) {
                write(out, "stream\n");
                out.writeBytes(streams.get(i - firstStream));
                write(out, "\nendstream\n");
            }
            write(out, "endobj\n");
        }
        long xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (long offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        table.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        write(out, table.toString());
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
