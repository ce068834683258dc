package org.sovereign.core.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.testing.PlainPdf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PDFBox pinned offline ({@link OfflineFonts}): a PDF whose font is not embedded used to make PDFBox scan the
 * system's fonts and write {@code .pdfbox.cache} into the home folder. In a fresh JVM whose home folder and
 * temporary folder are empty, extracting such a PDF's text leaves both empty.
 */
class PdfFontsOfflineTest {

    @TempDir
    Path tmp;

    @Test
    void extractingAPdfWithAFontItDoesNotEmbedWritesNothingOutsideTheDataDirectory() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Path pdf = PlainPdf.write(tmp.resolve("hives.pdf"), "Count the mites in August");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home, "-Djava.io.tmpdir=" + javaTmp,
                PdfChildMain.class.getName(), pdf.toString());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().remove("XDG_CACHE_HOME");
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("text: Count the mites in August");
        assertThat(output).as("PDFBox's font search did not run").doesNotContain("font cache");
        assertThat(files(home)).as("files left in HOME").isEmpty();
        assertThat(files(javaTmp)).as("files left in the temporary folder").noneMatch(f -> f.contains("pdfbox"));
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(dir::relativize).map(Path::toString).toList();
        }
    }
}
