package org.sovereign.app.ui.library;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.beans.value.ChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/** The Library screen in the real window (headless on Monocle): consent sheet, indexing, search, cancel, forget. */
@ExtendWith(ApplicationExtension.class)
class LibraryScreenUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;

    @TempDir
    static Path dataRoot;

    private Path home;
    private Path notes;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.withVault(WindowFixture.workstation(home));
        notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("garden.md"), "# Garden\n\nThe Lantern by the pear tree is lit at dusk.\n");
        Files.writeString(notes.resolve("rivers.txt"), "Seventeen quiet rivers run to the sea.\n");
        Files.writeString(notes.resolve("broken.pdf"), "%PDF-1.7 not really a pdf");
        window = WindowFixture.show(context, stage);
    }

    private void unlockAndOpenLibrary(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        WindowFixture.open(robot, KeyCode.DIGIT2, "#library-view");
    }

    private static LibraryViewModel viewModel(FxRobot robot) {
        return robot.lookup("#library-view").queryAs(LibraryView.class).viewModel();
    }

    @SuppressWarnings("unchecked")
    private static TableView<LibraryViewModel.SourceRow> sources(FxRobot robot) {
        return robot.lookup("#library-sources").queryAs(TableView.class);
    }

    private static String summary(FxRobot robot) {
        return robot.lookup("#library-summary").queryAs(Label.class).getText();
    }

    private LocalStore store() {
        return window.session().unlockedProperty().get();
    }

    /** Adds {@code folder}, checks the consent sheet, allows, and waits for the summary. */
    private String addAndAllow(FxRobot robot, Path folder) throws Exception {
        robot.interact(() -> viewModel(robot).addFolder(folder));
        waitUntil(() -> robot.lookup("#library-consent-sheet").query().isVisible());
        robot.clickOn("#library-consent-allow");
        waitUntil(() -> !summary(robot).isEmpty() && !viewModel(robot).indexingProperty().get());
        return summary(robot);
    }

    private void search(FxRobot robot, String words) throws Exception {
        robot.clickOn("#library-search-field").eraseText(40).write(words).type(KeyCode.ENTER);
        waitUntil(() -> !viewModel(robot).searchingProperty().get()
                && (robot.lookup("#library-search-status").queryAs(Label.class).getText().contains(words)
                || robot.lookup("#library-search-status").queryAs(Label.class).getText()
                .equals(LibraryViewModel.EMPTY_LIBRARY)));
    }

    @Test
    void addingAFolderAsksForConsentIndexesItListsItAndFindsItsWords(FxRobot robot) throws Exception {
        unlockAndOpenLibrary(robot);
        robot.interact(() -> viewModel(robot).addFolder(notes));
        waitUntil(() -> robot.lookup("#library-consent-sheet").query().isVisible());

        String notice = robot.lookup("#library-consent-notice").queryAs(TextArea.class).getText();
        assertThat(notice).contains(notes.toString()).contains("index").contains("private assistant").contains("365 days");
        assertThat(robot.lookup("#library-consent-operations").queryAs(Label.class).getText()).contains("Index").contains("generate");
        assertThat(store().consent().all()).as("nothing signed before Allow").isEmpty();
        robot.clickOn("#library-consent-allow");
        waitUntil(() -> !summary(robot).isEmpty() && !viewModel(robot).indexingProperty().get());

        assertThat(summary(robot)).contains("Indexed: 2 files").contains("Could not be read: 1 file")
                .contains("broken.pdf could not be read").contains("Keyword search only: no embedding pack is installed");
        ConsentHistory consent = store().consent().all().get(0);
        assertThat(consent.terms().notice()).isEqualTo(notice);
        assertThat(consent.terms().sources()).containsExactly(notes.toString());
        assertThat(consent.terms().operations()).containsExactlyInAnyOrder(Operation.INDEX, Operation.GENERATE);
        waitUntil(() -> sources(robot).getItems().size() == 1);
        LibraryViewModel.SourceRow row = sources(robot).getItems().get(0);
        assertThat(row.root()).isEqualTo(notes);
        assertThat(row.consent()).doesNotContain(consent.recordId()).contains("private assistant").contains("active");

        search(robot, "LANTERN");
        @SuppressWarnings("unchecked")
        ListView<LibraryViewModel.ResultRow> results = robot.lookup("#library-results").queryAs(ListView.class);
        assertThat(results.getItems()).isNotEmpty();
        assertThat(results.getItems().get(0).documentName()).isEqualTo("garden.md");
        assertThat(results.getItems().get(0).passage()).isEqualTo(1);
        List<Text> marked = robot.lookup(".library-match").queryAllAs(Text.class).stream().toList();
        assertThat(marked).extracting(Text::getText).contains("Lantern");
    }

    @Test
    void decliningTheConsentReadsNothing(FxRobot robot) throws Exception {
        unlockAndOpenLibrary(robot);
        robot.interact(() -> viewModel(robot).addFolder(notes));
        waitUntil(() -> robot.lookup("#library-consent-sheet").query().isVisible());
        robot.clickOn("#library-consent-decline");

        assertThat(robot.lookup("#library-consent-sheet").query().isVisible()).isFalse();
        assertThat(robot.lookup("#library-message").queryAs(Label.class).getText()).contains("no consent was given");
        assertThat(store().consent().all()).isEmpty();
        assertThat(sources(robot).getItems()).isEmpty();
    }

    @Test
    void cancellingMidwayKeepsWhatWasDoneAndTheNextRunContinues(FxRobot robot) throws Exception {
        Path big = Files.createDirectories(home.resolve("big"));
        String filler = "Harbour records and ledgers, carefully kept. ".repeat(400);
        for (int i = 0; i < 60; i++) {
            Files.writeString(big.resolve(String.format("note-%02d.txt", i)), "Note " + i + ". " + filler);
        }
        unlockAndOpenLibrary(robot);
        Pattern file = Pattern.compile("^File (\\d+) of 60: ");
        ChangeListener<String> cancelAtFour = (o, old, text) -> {
            Matcher m = file.matcher(text == null ? "" : text);
            if (m.find() && Integer.parseInt(m.group(1)) >= 4) {
                viewModel(robot).cancelIndexing();
            }
        };
        robot.interact(() -> viewModel(robot).progressTextProperty().addListener(cancelAtFour));

        String first = addAndAllow(robot, big);

        assertThat(first).startsWith("Stopped on request");
        int done = indexedCount(first);
        assertThat(done).isBetween(1, 59);
        waitUntil(() -> sources(robot).getItems().size() == 1);

        robot.interact(() -> viewModel(robot).progressTextProperty().removeListener(cancelAtFour));
        robot.clickOn(big.toString());
        robot.clickOn("#library-reindex");
        waitUntil(() -> !viewModel(robot).indexingProperty().get() && summary(robot).contains("Unchanged"));
        waitUntil(() -> !viewModel(robot).indexingProperty().get() && !summary(robot).equals(first));

        String second = summary(robot);
        assertThat(second).doesNotContain("Stopped").contains("Indexed: " + (60 - done) + " files")
                .contains("Unchanged, skipped: " + done + (done == 1 ? " file." : " files."));
        assertThat(robot.lookup("#library-consent-sheet").query().isVisible()).as("the consent given covers it").isFalse();
        assertThat(store().consent().all()).hasSize(1);
    }

    private static int indexedCount(String summary) {
        Matcher m = Pattern.compile("Indexed: (\\d+) file").matcher(summary);
        assertThat(m.find()).as(summary).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void forgettingASourceErasesItForGood(FxRobot robot) throws Exception {
        unlockAndOpenLibrary(robot);
        addAndAllow(robot, notes);
        waitUntil(() -> sources(robot).getItems().size() == 1);
        search(robot, "rivers");
        assertThat(viewModel(robot).results()).isNotEmpty();

        robot.clickOn(notes.toString());
        robot.clickOn("#library-forget");
        assertThat(robot.lookup("#library-forget-bar").query().isVisible()).isTrue();
        robot.clickOn("#library-forget-confirm");

        waitUntil(() -> sources(robot).getItems().isEmpty() && viewModel(robot).results().isEmpty()
                && nothingFound(robot.lookup("#library-search-status").queryAs(Label.class).getText()));
        assertThat(robot.lookup("#library-message").queryAs(Label.class).getText()).startsWith("Forgot");
        assertThat(store().audit().entries(0, store().audit().size()))
                .anySatisfy(e -> assertThat(e.type()).isEqualTo(AuditTypes.DOCUMENT_ERASED));
        search(robot, "rivers");
        assertThat(viewModel(robot).results()).isEmpty();
        assertThat(robot.lookup("#library-search-status").queryAs(Label.class).getText())
                .as("nothing left: says so plainly").isEqualTo(LibraryViewModel.EMPTY_LIBRARY);
    }

    /** What the search says when it finds nothing: no good match, or (once nothing is left) an empty library. */
    static boolean nothingFound(String status) {
        return status.startsWith("No good match") || status.equals(LibraryViewModel.EMPTY_LIBRARY);
    }
}
