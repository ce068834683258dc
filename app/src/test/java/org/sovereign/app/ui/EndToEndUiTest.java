package org.sovereign.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantView;
import org.sovereign.app.ui.assistant.AssistantViewModel;
import org.sovereign.app.ui.library.LibraryView;
import org.sovereign.app.ui.library.LibraryViewModel;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentHistory;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * The whole journey of issue 5 on the real main window (headless on Monocle), driven by ids as a person would:
 * first run, create the vault, the built-in search model installs with progress, add a folder of notes through the
 * consent sheet, ask a question and get the passage from the right file, withdraw the consent, the next question
 * is refused in plain words, and "Verify log" passes.
 *
 * <p>The assistant answers in passages-only mode (no text-generation pack is installed), which is deterministic:
 * the citation must name the file that holds the fact.
 */
@ExtendWith(ApplicationExtension.class)
class EndToEndUiTest {

    static final String PASSPHRASE = "quiet harbour lantern nineteen";

    @TempDir
    Path home;
    @TempDir
    Path notes;
    private MainWindow window;
    private Workstation context;

    @Start
    void start(Stage stage) throws Exception {
        Files.writeString(notes.resolve("apiary.md"), "# Apiary\n\nThe varroa mite count is done on the first Sunday of August.\n");
        Files.writeString(notes.resolve("boat.txt"), "The rowing boat is painted green every spring, before Easter.\n");
        Files.writeString(notes.resolve("bakery.md"), "# Bread\n\nThe sourdough starter is fed with rye flour at seven in the morning.\n");
        context = WindowFixture.workstation(home);
        window = WindowFixture.show(context, stage);
    }

    @Test
    void firstRunToACitedAnswerThenWithdrawalRefusesAndTheLogVerifies(FxRobot robot) throws Exception {
        // 1. First run: create the vault
        assertThat(robot.lookup("#vault-create").tryQuery()).isPresent();
        robot.clickOn("#new-passphrase").write(PASSPHRASE);
        robot.clickOn("#confirm-passphrase").write(PASSPHRASE);
        robot.clickOn("#create-vault");

        // 2. The built-in search model installs with progress (the build bundles it in target/default-packs)
        boolean bundled = context.packs().installation().defaultPackName().isPresent();
        if (bundled) {
            waitUntil(() -> robot.lookup("#default-pack-step").tryQuery().isPresent());
            assertThat(text(robot, "#pack-explanation")).startsWith("Installing the built-in search model (")
                    .contains(" MB)").contains("nothing is downloaded");
            waitUntil(() -> robot.lookup("#pack-continue").query().isVisible());
            assertThat(text(robot, "#pack-status")).contains("is installed and verified");
            assertThat(robot.lookup("#pack-progress").queryAs(ProgressBar.class).getProgress()).isEqualTo(1.0);
            assertThat(text(robot, "#pack-error")).isEmpty();
            assertThat(context.packs().installation().defaultPackPending()).isFalse();
            robot.clickOn("#pack-continue");
        }
        waitUntil(() -> robot.lookup("#main-window").tryQuery().isPresent());
        assertThat(window.session().isUnlocked()).isTrue();
        assertThat(robot.lookup("#shell-notice").queryAs(Label.class).isVisible())
                .as("semantic search is on, so no notice").isFalse();

        // 3. Library: add the folder of notes through the consent sheet
        robot.clickOn("#nav-library");
        waitUntil(() -> robot.lookup("#library-view").tryQuery().isPresent());
        LibraryViewModel library = robot.lookup("#library-view").queryAs(LibraryView.class).viewModel();
        // The folder chooser is a native dialog that headless tests cannot drive; this is what choosing it does.
        robot.interact(() -> library.addFolder(notes));
        waitUntil(() -> robot.lookup("#library-consent-sheet").query().isVisible());
        assertThat(robot.lookup("#library-consent-notice").queryAs(TextArea.class).getText()).contains(notes.toString());
        assertThat(store().consent().all()).as("nothing is signed before Allow").isEmpty();
        robot.clickOn("#library-consent-allow");
        waitUntil(() -> !text(robot, "#library-summary").isEmpty() && !library.indexingProperty().get());
        assertThat(text(robot, "#library-summary")).contains("Indexed: 3 files")
                .contains(bundled ? "Passages were embedded for search by meaning" : "Keyword search only");
        ConsentHistory consent = store().consent().all().get(0);
        assertThat(consent.activeAt(Instant.now())).isTrue();

        // 4. Assistant: ask; the answer cites the file that holds the fact
        robot.clickOn("#nav-assistant");
        waitUntil(() -> robot.lookup("#assistant-view").tryQuery().isPresent());
        AssistantViewModel assistant = robot.lookup("#assistant-view").queryAs(AssistantView.class).viewModel();
        waitUntil(() -> !assistant.modelChoices().isEmpty());
        assertThat(assistant.modelProperty().get()).isEqualTo(AssistantViewModel.ModelChoice.NONE);
        robot.clickOn("#assistant-input").write("When is the varroa mite count done?").type(KeyCode.ENTER);
        waitUntil(() -> assistant.lastAnswerProperty().get() != null && !assistant.busyProperty().get());

        assertThat(text(robot, "#assistant-answer-1")).startsWith("Retrieved passages");
        assertThat(robot.lookup("#assistant-citation-1-1").queryLabeled().getText()).startsWith("[1] apiary.md\n")
                .contains("first Sunday of August");
        assertThat(text(robot, "#assistant-consent-chip")).contains("private assistant").doesNotContain(consent.recordId());
        robot.clickOn("#assistant-citation-1-1");
        assertThat(text(robot, "#assistant-cited-path")).startsWith(notes.resolve("apiary.md").toString());

        // 5. Consent: withdraw it (one click and one confirmation)
        robot.clickOn("#nav-consent");
        waitUntil(() -> robot.lookup("#consent-table").queryAs(TableView.class).getItems().size() == 1);
        robot.clickOn("private assistant");
        robot.clickOn("#consent-withdraw");
        robot.clickOn("#consent-withdraw-confirm");
        waitUntil(() -> text(robot, "#consent-message").contains("was withdrawn"));
        assertThat(store().consent().all().get(0).activeAt(Instant.now())).isFalse();

        // 6. Assistant: the next question is refused with a clear message, and nothing is answered
        robot.clickOn("#nav-assistant");
        robot.clickOn("#assistant-input").write("When is the varroa mite count done?").type(KeyCode.ENTER);
        waitUntil(() -> !text(robot, "#assistant-problem-2").isEmpty());
        assertThat(text(robot, "#assistant-problem-2")).startsWith("No answer: the consent that covered it was withdrawn")
                .doesNotContain(consent.recordId()).contains("Consent screen");
        assertThat(text(robot, "#assistant-answer-2")).isEmpty();
        assertThat(text(robot, "#assistant-consent-chip")).isEqualTo("No consent covers this any more");

        // 7. Audit: "Verify log" passes
        robot.clickOn("#nav-audit");
        waitUntil(() -> robot.lookup("#audit-view").tryQuery().isPresent());
        robot.clickOn("#audit-verify");
        waitUntil(() -> text(robot, "#audit-verify-result").startsWith("The log holds"));
        long entries = store().audit().size();
        assertThat(text(robot, "#audit-verify-result"))
                .startsWith("The log holds: " + entries + " entries, all matching the signed checkpoints.");
        assertThat(store().audit().entries(0, entries)).extracting(e -> e.type())
                .contains(AuditTypes.CONSENT_GIVEN, AuditTypes.CONSENT_WITHDRAWN)
                .containsAnyOf(bundled ? AuditTypes.PACK_INSTALLED : AuditTypes.CONSENT_GIVEN);
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }

    private LocalStore store() {
        return window.session().unlockedProperty().get();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }
}
