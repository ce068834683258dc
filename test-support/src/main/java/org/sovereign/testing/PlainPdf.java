package org.sovereign.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a one-page PDF whose text is set in Helvetica without embedding the font, byte by byte (no PDF library):
 * reading it makes a PDF reader look for a font on the system, which is what the offline-font tests watch. Creating
 * it with PDFBox would itself start PDFBox's font search in the test's JVM.
 */
public final class PlainPdf {

    private PlainPdf() {
    }

    /** Writes {@code text} (printable ASCII, no parentheses or backslashes) as one line on one page. */
    public static Path write(Path file, String text) throws IOException {
        if (!text.chars().allMatch(c -> c >= 32 && c < 127 && c != '(' && c != ')' && c != '\\')) {
            throw new IllegalArgumentException("plain ASCII without parentheses or backslashes only");
        }
        String content = "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET";
        List<String> objects = List.of(
                "<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
                        + "/Contents 5 0 R >>",
                "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
                "<< /Length " + content.length() + " >>\nstream\n" + content + "\nendstream");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        append(out, "%PDF-1.4\n");
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            append(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        offsets.forEach(o -> table.append(String.format("%010d 00000 n \n", o)));
        table.append("trailer\n<< /Size ").append(objects.size() + 1).append(" /Root 1 0 R >>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        append(out, table.toString());
        Files.write(file, out.toByteArray());
        return file;
    }

    private static void append(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
