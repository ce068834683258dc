package org.sovereign.app.ui.library;

import org.junit.jupiter.api.Test;
import org.sovereign.core.library.IndexReport;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain-word parts of the Library screen: highlighting and the indexing summary. */
class LibraryViewModelTest {

    @Test
    void marksQueryWordsCaseInsensitivelyAtWordStartsAndKeepsTheText() {
        String text = "Lanterns glow; a lantern is lit. Plantern is not a word.";
        List<Highlighter.Run> runs = Highlighter.runs(text, "LANTERN lit");

        assertThat(runs.stream().map(Highlighter.Run::text).reduce("", String::concat)).isEqualTo(text);
        assertThat(runs).filteredOn(Highlighter.Run::match).extracting(Highlighter.Run::text)
                .containsExactly("Lantern", "lantern", "lit");
    }

    @Test
    void aBlankQueryMarksNothing() {
        assertThat(Highlighter.runs("some text", "  ")).containsExactly(new Highlighter.Run("some text", false));
    }

    @Test
    void summarySaysWhatWasIndexedSkippedAndWhyFilesFailed() {
        Map<Path, IndexReport> reports = new LinkedHashMap<>();
        reports.put(Path.of("/n"), new IndexReport(List.of(Path.of("/n/a.md"), Path.of("/n/b.txt")), List.of(Path.of("/n/c.txt")),
                Map.of(Path.of("/n/x.pdf"), "x.pdf could not be read: damaged"), 5, false, true));

        String summary = LibraryViewModel.summarize(reports, true, false);

        assertThat(summary).contains("Indexed: 2 files (5 passages)").contains("Unchanged, skipped: 1 file.")
                .contains("Could not be read: 1 file.").contains("x.pdf could not be read: damaged")
                .contains("embedded for search by meaning").doesNotContain("Stopped");
    }

    @Test
    void aStoppedRunSaysHowToContinue() {
        Map<Path, IndexReport> reports = Map.of(Path.of("/n"),
                new IndexReport(List.of(), List.of(), Map.of(), 0, true, false));

        assertThat(LibraryViewModel.summarize(reports, false, false)).startsWith("Stopped on request")
                .contains("no embedding pack is installed");
    }
}
