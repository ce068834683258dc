package org.sovereign.app.ui.library;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.library.IndexReport;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Library screen without a window: highlighting and the indexing summary, and the view-model over core's
 * library and consent use cases (same-thread tasks, a real vault).
 */
class LibraryViewModelTest {

    @TempDir
    Path home;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @Test
    void marksWholeQueryWordsCaseInsensitivelyAndKeepsTheText() {
        String text = "Lanterns glow; a Lantern is lit. Plantern is not a word.";
        List<Highlighter.Run> runs = Highlighter.runs(text, "LANTERN lit");

        assertThat(runs.stream().map(Highlighter.Run::text).reduce("", String::concat)).isEqualTo(text);
        assertThat(runs).filteredOn(Highlighter.Run::match).extracting(Highlighter.Run::text)
                .containsExactly("Lantern", "lit");
    }

    @Test
    void neverMarksAWordInsideAnotherNorTheCommonWordsOfTheQuery() {
        String text = "We wash the bedding every week at 60 degrees; a warm wash kills dust mites.";
        List<Highlighter.Run> runs = Highlighter.runs(text, "how do we wash a bed");

        assertThat(runs.stream().map(Highlighter.Run::text).reduce("", String::concat)).isEqualTo(text);
        assertThat(runs).filteredOn(Highlighter.Run::match).extracting(Highlighter.Run::text)
                .containsExactly("wash", "wash");
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
    void summaryListsTheIndexedFilesAndTheFilesOfTypesNotReadWithTheReason() {
        Map<Path, String> unsupported = new LinkedHashMap<>();
        unsupported.put(Path.of("/n/report.docx"), "report.docx was skipped: the library does not read .docx files "
                + "(it reads text, Markdown, HTML and PDF).");
        unsupported.put(Path.of("/n/photo.png"), "photo.png was skipped: the library does not read .png files "
                + "(it reads text, Markdown, HTML and PDF).");
        Map<Path, IndexReport> reports = Map.of(Path.of("/n"), new IndexReport(
                List.of(Path.of("/n/mites.txt"), Path.of("/n/bikes.txt")), List.of(), Map.of(), 2, false, true, unsupported));

        String summary = LibraryViewModel.summarize(reports, true, false);

        assertThat(summary).contains("Indexed files: mites.txt, bikes.txt.")
                .contains("Not read, type not supported: 2 files.")
                .contains("  - report.docx was skipped: the library does not read .docx files")
                .contains("  - photo.png was skipped: the library does not read .png files");
    }

    @Test
    void aStoppedRunSaysHowToContinue() {
        Map<Path, IndexReport> reports = Map.of(Path.of("/n"),
                new IndexReport(List.of(), List.of(), Map.of(), 0, true, false));

        assertThat(LibraryViewModel.summarize(reports, false, false)).startsWith("Stopped on request")
                .contains("no embedding pack is installed");
    }

    @Test
    void addingAFolderAsksForConsentFirstThenSignsExactlyTheNoticeShownIndexesAndListsIt() throws Exception {
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("garden.md"), "# Garden\n\nThe lantern by the pear tree is lit at dusk.\n");
        Workstation workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        VaultSessionState session = FxThread.call(() -> UnlockedSession.of(workstation));
        LibraryViewModel vm = new LibraryViewModel(session, workstation.packs(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")), Clock.systemUTC());
        try {
            LocalStore store = session.unlockedProperty().get();

            FxThread.run(() -> vm.addFolder(notes));
            assertThat(vm.consentSheetOpenProperty().get()).isTrue();
            assertThat(store.consent().all()).as("nothing signed before Allow").isEmpty();
            assertThat(vm.summaryProperty().get()).as("nothing read before Allow").isEmpty();
            String notice = vm.noticeProperty().get();
            assertThat(notice).contains(notes.toString()).contains(LibraryViewModel.PURPOSE);

            FxThread.run(vm::allowAndIndex);

            assertThat(vm.consentSheetOpenProperty().get()).isFalse();
            assertThat(store.consent().all()).singleElement().satisfies(h -> {
                assertThat(h.terms().notice()).isEqualTo(notice);
                assertThat(h.terms().sources()).containsExactly(notes.toString());
                assertThat(h.terms().operations()).contains(Operation.INDEX);
            });
            assertThat(vm.indexingProperty().get()).isFalse();
            assertThat(vm.busyProperty().get()).isFalse();
            assertThat(vm.summaryProperty().get()).contains("Indexed: 1 file");
            ConsentHistory consent = store.consent().all().get(0);
            assertThat(vm.sources()).singleElement().satisfies(row -> {
                assertThat(row.root()).isEqualTo(notes);
                assertThat(row.consentId()).isEqualTo(consent.recordId());
                assertThat(row.consent()).as("named by purpose and day, never by id")
                        .startsWith("'private assistant' of ").endsWith(", active").doesNotContain(consent.recordId());
            });
        } finally {
            FxThread.run(session::lock);
        }
    }

    @Test
    void withTheBundledModelAWordFindsOnlyItsFileAndNothingCloseIsSaidPlainly() throws Exception {
        Path notes = Files.createDirectories(home.resolve("four"));
        Files.writeString(notes.resolve("mites.txt"), "Dust mites live in mattresses, pillows and carpets and feed on "
                + "flakes of skin. Washing bedding every week keeps them down.");
        Files.writeString(notes.resolve("bikes.txt"), "Check the tyre pressure before every ride and oil the chain.");
        Files.writeString(notes.resolve("pantry.txt"), "Flour, rice and pasta keep for months in airtight jars.");
        Files.writeString(notes.resolve("garden.md"), "## Garden\n\nTomatoes need staking when they reach knee height.");
        Files.write(notes.resolve("scan.png"), new byte[] {(byte) 0x89, 0x50, 0x4e, 0x47});
        Workstation workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        workstation.packs().installation().installDefault(WindowFixture.PASSPHRASE::toCharArray, Progress.NONE);
        VaultSessionState session = FxThread.call(() -> UnlockedSession.of(workstation));
        LibraryViewModel vm = new LibraryViewModel(session, workstation.packs(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")), Clock.systemUTC());
        try {
            FxThread.run(() -> vm.search());
            FxThread.run(() -> {
                vm.queryProperty().set("mites");
                vm.search();
            });
            assertThat(vm.searchStatusProperty().get()).isEqualTo(LibraryViewModel.EMPTY_LIBRARY);

            FxThread.run(() -> vm.addFolder(notes));
            FxThread.run(vm::allowAndIndex);
            assertThat(vm.summaryProperty().get()).contains("Indexed files: bikes.txt, garden.md, mites.txt, "
                    + "pantry.txt.", "embedded for search by meaning", "scan.png was skipped: the library does not "
                    + "read .png files");

            FxThread.run(() -> {
                vm.queryProperty().set("mites");
                vm.search();
            });
            assertThat(vm.results()).extracting(LibraryViewModel.ResultRow::document)
                    .containsExactly(notes.resolve("mites.txt"));

            FxThread.run(() -> {
                vm.queryProperty().set("piano lessons");
                vm.search();
            });
            assertThat(vm.results()).isEmpty();
            assertThat(vm.searchStatusProperty().get())
                    .isEqualTo("No good match: nothing in your library is close to \u201cpiano lessons\u201d.");

            FxThread.run(() -> {
                vm.queryProperty().set("garden tomatoes");
                vm.search();
            });
            assertThat(vm.results()).first().satisfies(row -> {
                assertThat(row.document()).isEqualTo(notes.resolve("garden.md"));
                assertThat(row.text()).startsWith("Garden").doesNotContain("#");
            });
        } finally {
            FxThread.run(session::lock);
        }
    }

    /**
     * Issue 15: a file or folder name with a terminal escape and a new line is shown escaped in every place the screen
     * shows names (the sources list, the consent sheet, the indexing summary and progress, search results), as on the
     * command line, so it can neither colour nor break a line nor fake one.
     */
    @Test
    void namesWithTerminalEscapesAndNewLinesAreShownEscaped() throws Exception {
        String hostile = "red\u001b[31m\nIndexed: 99 files";
        Path notes = Files.createDirectories(home.resolve("notes " + hostile));
        Files.writeString(notes.resolve("garden " + hostile + ".md"), "The lantern by the pear tree is lit at dusk.\n");
        Files.write(notes.resolve("broken " + hostile + ".pdf"), new byte[] {'%', 'P', 'D', 'F', '-', '1', '.', '4', '\n', 0});
        Workstation workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        VaultSessionState session = FxThread.call(() -> UnlockedSession.of(workstation));
        LibraryViewModel vm = new LibraryViewModel(session, workstation.packs(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")), Clock.systemUTC());
        String escaped = "red\\e[31m\\nIndexed: 99 files";
        try {
            FxThread.run(() -> vm.addFolder(notes));
            FxThread.run(vm::allowAndIndex);

            assertThat(vm.sources()).singleElement().satisfies(row -> {
                assertThat(row.root()).isEqualTo(notes);
                assertThat(row.rootText()).isEqualTo(notes.getParent() + "/notes " + escaped);
            });
            String summary = vm.summaryProperty().get();
            assertThat(summary).contains("Indexed: 1 file", "Could not be read: 1 file", "broken " + escaped + ".pdf")
                    .doesNotContain("\u001b").doesNotContain("\nIndexed: 99 files");

            FxThread.run(() -> {
                vm.queryProperty().set("lantern");
                vm.search();
            });
            assertThat(vm.results()).singleElement().satisfies(r ->
                    assertThat(r.documentName()).isEqualTo("garden " + escaped + ".md"));
        } finally {
            FxThread.run(session::lock);
        }
    }
}
