package org.sovereign.core.library;

import java.nio.file.Path;

/** Child-process entry point for {@link PdfFontsOfflineTest}: extracts one PDF's text as indexing does. */
public final class PdfChildMain {

    private PdfChildMain() {
    }

    public static void main(String[] args) {
        System.out.println("text: " + new TextExtractor().extract(Path.of(args[0])).strip());
    }
}
