package org.sovereign.app.ui.consent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/** The Consent screen in the real window (headless on Monocle): list, details, withdraw, receipts. */
@ExtendWith(ApplicationExtension.class)
class ConsentScreenUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;
    static final String NOTICE = "Your notes in the folder 'notes' will be indexed and used to answer your questions, on this computer only.";

    @TempDir
    static Path dataRoot;

    private Path home;
    private MainWindow window;
    private String consentId;

    @Start
    void start(Stage stage) {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.workstation(home);
        try (LocalStore store = context.store().create(PASSPHRASE.toCharArray())) {
            consentId = ConsentFixture.consent().purpose("private assistant").source(home.resolve("notes"))
                    .operations(Operation.INDEX, Operation.GENERATE).notice(NOTICE).grantIn(store);
        }
        window = WindowFixture.show(context, stage);
    }

    private void unlockAndOpenConsent(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        waitUntil(() -> table(robot).getItems().size() == 1);
    }

    @SuppressWarnings("unchecked")
    private static TableView<ConsentViewModel.Row> table(FxRobot robot) {
        return robot.lookup("#consent-table").queryAs(TableView.class);
    }

    private ConsentViewModel viewModel(FxRobot robot) {
        return robot.lookup("#consent-view").queryAs(ConsentView.class).viewModel();
    }

    private LocalStore store() {
        return window.session().unlockedProperty().get();
    }

    @Test
    void showsTheConsentWithItsExactNoticeAndHistory(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);

        ConsentViewModel.Row row = table(robot).getItems().get(0);
        assertThat(row.purposes()).isEqualTo("private assistant");
        assertThat(row.sources()).isEqualTo(home.resolve("notes").toString());
        assertThat(row.operations()).isEqualTo("index, generate");
        assertThat(row.status()).isEqualTo("active");
        assertThat(robot.lookup("#consent-filter-active").queryAs(ToggleButton.class).getText()).isEqualTo("Active (1)");

        robot.clickOn(row.purposes());

        assertThat(robot.lookup("#consent-notice").queryAs(TextArea.class).getText()).isEqualTo(NOTICE);
        assertThat(robot.lookup("#consent-record-id").queryAs(TextField.class).getText()).isEqualTo(consentId);
        assertThat(viewModel(robot).selectedEvents()).singleElement().asString().contains("given");
    }

    @Test
    void withdrawingTakesOneClickAndOneConfirmationAndIsAudited(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        robot.clickOn("private assistant");

        robot.clickOn("#consent-withdraw");
        assertThat(robot.lookup("#consent-withdraw-bar").query().isVisible()).isTrue();
        robot.clickOn("#consent-withdraw-confirm");

        waitUntil(() -> store().consent().history(consentId).latest().status() == ConsentStatus.WITHDRAWN
                && robot.lookup("#consent-filter-withdrawn").queryAs(ToggleButton.class).isSelected()
                && table(robot).getItems().size() == 1);
        assertThat(table(robot).getItems().get(0).status()).startsWith("withdrawn");
        assertThat(robot.lookup("#consent-message").queryAs(Label.class).getText()).contains("was withdrawn");
        assertThat(robot.lookup("#consent-withdraw").queryButton().isDisabled()).as("cannot withdraw twice").isTrue();
        assertThat(robot.lookup("#consent-filter-active").queryAs(ToggleButton.class).getText()).isEqualTo("Active (0)");
        List<AuditEntry> entries = store().audit().entries(0, store().audit().size());
        assertThat(entries).filteredOn(e -> e.type().equals(AuditTypes.CONSENT_WITHDRAWN))
                .singleElement().satisfies(e -> assertThat(e.refs()).containsEntry("consent", consentId));
    }

    @Test
    void withdrawingWithEraseStopsLibrarySearchAndDestroysWhatWasIndexed(FxRobot robot) throws Exception {
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted with a sugar roll in August.");
        unlockAndOpenConsent(robot);
        UnlockedWorkspace workspace = window.session().workspace();
        workspace.libraryWithoutModel().index(notes, "private assistant", Progress.NONE);
        long scope = workspace.libraryWithoutModel().sources().get(notes);

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#library-view").tryQuery().isPresent());
        librarySearch(robot, "varroa sugar");
        assertThat(robot.lookup("#library-search-status").queryAs(Label.class).getText()).startsWith("1 passage");

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT4).release(KeyCode.DIGIT4, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#consent-view").tryQuery().isPresent());
        robot.clickOn("private assistant");
        robot.clickOn("#consent-withdraw");
        assertThat(robot.lookup("#consent-withdraw-erase").query().isVisible()).as("offered in the same confirmation").isTrue();
        assertThat(robot.lookup("#consent-withdraw-erase").queryAs(CheckBox.class).isSelected()).as("off unless asked").isFalse();
        robot.clickOn("#consent-withdraw-erase");
        robot.clickOn("#consent-withdraw-confirm");
        waitUntil(() -> robot.lookup("#consent-message").queryAs(Label.class).getText().contains("Erased from the library"));

        assertThat(store().session().scope(scope).isErased()).as("the source's key is destroyed").isTrue();
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#library-view").tryQuery().isPresent());
        librarySearch(robot, "varroa sugar");
        assertThat(robot.lookup("#library-search-status").queryAs(Label.class).getText())
                .matches(t -> t.startsWith("No good match") || t.startsWith("Your library is empty"));
        List<String> types = store().audit().entries(0, store().audit().size()).stream().map(AuditEntry::type).toList();
        assertThat(types).contains(AuditTypes.CONSENT_WITHDRAWN, AuditTypes.DOCUMENT_ERASED);
    }

    private static void librarySearch(FxRobot robot, String words) throws Exception {
        robot.clickOn("#library-search-field").eraseText(40).write(words).type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#library-search-status").queryAs(Label.class).getText().contains(words)
                || robot.lookup("#library-search-status").queryAs(Label.class).getText()
                .startsWith("Your library is empty"));
    }

    @Test
    void keepingTheConsentAtTheConfirmationChangesNothing(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        robot.clickOn("private assistant");

        robot.clickOn("#consent-withdraw");
        robot.clickOn("#consent-withdraw-cancel");

        assertThat(robot.lookup("#consent-withdraw-bar").query().isVisible()).isFalse();
        assertThat(store().consent().history(consentId).latest().status()).isEqualTo(ConsentStatus.GIVEN);
    }

    @Test
    void exportsAReceiptThatVerifiesAndSaysSoForAGoodAndABadFile(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        robot.clickOn("private assistant");
        Path receipt = home.resolve("receipt.json");

        robot.interact(() -> viewModel(robot).exportReceipt(receipt));
        waitUntil(() -> robot.lookup("#consent-message").queryAs(Label.class).getText().startsWith("Receipt written"));

        ConsentReceipt.Verified verified = ConsentReceipt.verify(Files.readAllBytes(receipt), Instant.now());
        assertThat(verified.recordId()).isEqualTo(consentId);
        assertThat(verified.terms().notice()).isEqualTo(NOTICE);
        assertThat(Files.list(home).map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));

        robot.interact(() -> viewModel(robot).verifyReceipt(receipt));
        waitUntil(() -> robot.lookup("#consent-receipt-result").queryAs(Label.class).getText().startsWith("Valid receipt"));
        assertThat(robot.lookup("#consent-receipt-result").queryAs(Label.class).getText())
                .contains(consentId).contains("status now given").contains("Signed by this workstation");

        Path forged = home.resolve("forged.json");
        Files.writeString(forged, Files.readString(receipt).replace("private assistant", "advertising"));
        robot.interact(() -> viewModel(robot).verifyReceipt(forged));
        waitUntil(() -> robot.lookup("#consent-receipt-result").queryAs(Label.class).getText().startsWith("Not a valid receipt"));
    }

    @Test
    void afterLockingAndUnlockingTheScreenReadsTheNewStore(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        LocalStore first = store();

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        assertThat(window.session().isUnlocked()).isFalse();
        robot.clickOn("#unlock-passphrase").write(PASSPHRASE).type(KeyCode.ENTER);
        waitUntil(() -> robot.lookup("#consent-table").tryQuery().isPresent() && table(robot).getItems().size() == 1);

        assertThat(store()).isNotSameAs(first);
        robot.clickOn("private assistant");
        robot.clickOn("#consent-withdraw");
        robot.clickOn("#consent-withdraw-confirm");
        waitUntil(() -> store().consent().history(consentId).latest().status() == ConsentStatus.WITHDRAWN);
    }

    @Test
    void givingConsentShowsTheExactNoticeThatIsSignedAndListsIt(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        Path papers = home.resolve("papers");

        robot.clickOn("#consent-give-open");
        assertThat(robot.lookup("#grant-give").queryButton().isDisabled()).as("nothing chosen yet").isTrue();
        assertThat(robot.lookup("#grant-problem").queryAs(Label.class).getText()).as("no error before typing").isEmpty();
        assertThat(robot.lookup("#grant-op-embed").queryAs(CheckBox.class).isSelected()).as("on by default").isTrue();
        assertThat(robot.lookup("#grant-op-share").queryAs(CheckBox.class).isDisabled()).isTrue();
        assertThat(robot.lookup("#grant-share-note").queryAs(Label.class).getText())
                .isEqualTo(ConsentGrantViewModel.SHARE_UNAVAILABLE);
        robot.clickOn("#grant-purpose").write("thesis research");
        robot.interact(() -> viewModel(robot).grantForm().addSource(papers));
        robot.doubleClickOn("#grant-days").write("30");

        String shown = robot.lookup("#grant-notice").queryAs(TextArea.class).getText();
        assertThat(shown).contains("index, embed and generate answers from").contains(papers.toString())
                .contains("thesis research").contains("for 30 days");
        robot.clickOn("#grant-give");

        waitUntil(() -> table(robot).getItems().size() == 2);
        var given = store().consent().all().stream()
                .filter(h -> h.terms().purposes().equals(List.of("thesis research"))).findFirst().orElseThrow();
        assertThat(given.terms().notice()).isEqualTo(shown);
        assertThat(given.terms().sources()).containsExactly(papers.toString());
        assertThat(given.terms().operations()).containsExactlyInAnyOrder(Operation.INDEX, Operation.EMBED, Operation.GENERATE);
        assertThat(Duration.between(given.terms().validFrom(), given.terms().validUntil())).isEqualTo(Duration.ofDays(30));
        assertThat(robot.lookup("#consent-grant-form").query().isVisible()).isFalse();
        assertThat(robot.lookup("#consent-record-id").queryAs(TextField.class).getText()).isEqualTo(given.recordId());
    }

    @Test
    void aBadNumberOfDaysIsStatedInlineAndGiveStaysDisabled(FxRobot robot) throws Exception {
        unlockAndOpenConsent(robot);
        robot.clickOn("#consent-give-open");
        robot.clickOn("#grant-purpose").write("thesis research");
        robot.interact(() -> viewModel(robot).grantForm().addSource(home));
        robot.doubleClickOn("#grant-days").write("0");

        assertThat(robot.lookup("#grant-problem").queryAs(Label.class).getText()).startsWith("Valid for:");
        assertThat(robot.lookup("#grant-give").queryButton().isDisabled()).isTrue();
        assertThat(robot.lookup("#grant-notice").queryAs(TextArea.class).getText()).isEmpty();
    }
}
