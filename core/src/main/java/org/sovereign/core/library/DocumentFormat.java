package org.sovereign.core.library;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/** The document formats the library reads, recognised by file name extension. */
public enum DocumentFormat {
    PLAIN_TEXT("text/plain", "txt", "text"),
    MARKDOWN("text/markdown", "md", "markdown"),
    HTML("text/html", "html", "htm"),
    PDF("application/pdf", "pdf");

    private final String mediaType;
    private final String[] extensions;

    DocumentFormat(String mediaType, String... extensions) {
        this.mediaType = mediaType;
        this.extensions = extensions;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The format of {@code file} by its extension, or empty when the library does not read it. */
    public static Optional<DocumentFormat> of(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return Optional.empty();
        }
        String ext = name.substring(dot + 1);
        for (DocumentFormat f : values()) {
            for (String e : f.extensions) {
                if (e.equals(ext)) {
                    return Optional.of(f);
                }
            }
        }
        return Optional.empty();
    }
}
