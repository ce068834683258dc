package org.sovereign.core.library;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzz target for document extraction (issue 15): the text, Markdown, HTML and PDF files a person indexes may be
 * hostile. Any file may only be extracted or refused as an {@link UnreadableDocumentException}; anything else is a
 * finding. Replayed by the default tests from {@code src/test/resources/.../DocumentsFuzzTestInputs/}; {@code -Pfuzz}
 * fuzzes.
 */
class DocumentsFuzzTest {

    private static final String[] TYPES = {".txt", ".md", ".html", ".pdf"};

    @FuzzTest(maxDuration = "60s")
    void extract(FuzzedDataProvider data) throws IOException {
        String type = TYPES[data.consumeInt(0, TYPES.length - 1)];
        Path file = Files.createTempFile("fuzz", type);
        try {
            Files.write(file, data.consumeRemainingAsBytes());
            new TextExtractor().extract(file);
        } catch (UnreadableDocumentException expected) {
            // refused with a reason
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
