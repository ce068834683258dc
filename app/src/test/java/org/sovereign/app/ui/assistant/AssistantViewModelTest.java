package org.sovereign.app.ui.assistant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantViewModel.Exchange;
import org.sovereign.app.ui.assistant.AssistantViewModel.ModelChoice;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Assistant screen's view-model over core's ask-a-question use case, without a window: a real vault with notes
 * indexed under a consent, no text-generation pack (so answers are the retrieved passages), same-thread tasks.
 */
class AssistantViewModelTest {

    private static final String PURPOSE = WindowFixture.PURPOSE;
    private static final String QUESTION = "When are varroa mites counted?";

    @TempDir
    Path home;
    private String consentId;
    private VaultSessionState session;
    private AssistantViewModel vm;
    private Workstation workstation;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        Path notes = Files.createDirectories(home.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted every August.");
        workstation = WindowFixture.workstation(home.resolve("data"));
        consentId = WindowFixture.vaultWithNotes(workstation, ConsentFixture.consent().purpose(PURPOSE).source(notes),
                notes, null).consentId();
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        vm = new AssistantViewModel(session, workstation.packs(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")));
        FxThread.run(vm::refresh);
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    private Exchange ask(String question) throws Exception {
        FxThread.run(() -> {
            vm.questionProperty().set(question);
            vm.send();
        });
        return vm.exchanges().get(vm.exchanges().size() - 1);
    }

    @Test
    void withNoModelTheAnswerIsTheRetrievedPassagesCoveredByTheConsent() throws Exception {
        assertThat(vm.modelChoices()).containsExactly(ModelChoice.NONE);
        assertThat(vm.modelHintProperty().get()).isEqualTo(AssistantViewModel.NO_PACKS_HINT);
        assertThat(AssistantViewModel.NO_PACKS_HINT).as("points to where a chat model comes from")
                .contains("Models (Ctrl+3)").contains("Import Hugging Face folder");
        assertThat(vm.purposeProperty().get()).isEqualTo(PURPOSE);

        Exchange exchange = ask(QUESTION);

        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.questionProperty().get()).as("the input is cleared").isEmpty();
        assertThat(exchange.question()).isEqualTo(QUESTION);
        // each passage shown once: in full as its citation, not also inside the answer
        assertThat(exchange.answerProperty().get()).startsWith("Retrieved passages").doesNotContain("Varroa");
        assertThat(exchange.passagesOnlyProperty().get()).isTrue();
        assertThat(exchange.copyText()).contains("[1] mites.md: Varroa mites are counted every August.");
        assertThat(exchange.problemProperty().get()).isEmpty();
        assertThat(exchange.citations()).singleElement().satisfies(c -> {
            assertThat(c.label()).startsWith("[1] mites.md");
            assertThat(c.passage()).isEqualTo("Varroa mites are counted every August.");
        });
        assertThat(vm.consentChipProperty().get()).startsWith("Covered by your consent for '" + PURPOSE + "' of ")
                .doesNotContain(consentId);
        assertThat(vm.lastAnswerProperty().get().generated()).isFalse();
    }

    @Test
    void withoutAConsentTheRefusalIsShownOnTheExchangeAndTheConsentChipSaysSo() throws Exception {
        session.unlockedProperty().get().consent().withdraw(consentId);

        Exchange exchange = ask(QUESTION);

        assertThat(exchange.problemProperty().get()).startsWith("No answer: ")
                .endsWith(AssistantViewModel.WHERE_TO_LOOK);
        assertThat(exchange.answerProperty().get()).isEmpty();
        assertThat(vm.consentChipProperty().get()).as("the only consent was withdrawn")
                .isEqualTo(AssistantViewModel.NO_LONGER);
        assertThat(vm.consentRefusedProperty().get()).isTrue();
        assertThat(vm.lastAnswerProperty().get()).isNull();
        assertThat(vm.busyProperty().get()).isFalse();

        // the refused question is kept in its conversation: opened again, it is still there with its note
        long id = vm.currentConversationProperty().get();
        assertThat(vm.conversations()).extracting(ConversationService.Summary::id).containsExactly(id);
        FxThread.run(vm::newConversation);
        FxThread.run(() -> vm.openConversation(vm.conversations().get(0)));
        assertThat(vm.exchanges()).singleElement().satisfies(x -> {
            assertThat(x.question()).isEqualTo(QUESTION);
            assertThat(x.answerProperty().get()).isEmpty();
            assertThat(x.problemProperty().get()).startsWith("No answer: no consent covered this question");
        });
    }

    @Test
    void eachNewConversationAppearsInTheListNamedByItsFirstQuestionNewestFirst() throws Exception {
        ask(QUESTION);
        long first = vm.currentConversationProperty().get();
        assertThat(vm.conversations()).extracting(ConversationService.Summary::id).containsExactly(first);

        FxThread.run(vm::newConversation);
        assertThat(vm.exchanges()).isEmpty();
        assertThat(vm.currentConversationProperty().get()).isEqualTo(-1);
        ask("What else is counted in August?");
        long second = vm.currentConversationProperty().get();

        assertThat(second).isNotEqualTo(first).isNotNegative();
        assertThat(vm.conversations()).extracting(ConversationService.Summary::id).containsExactly(second, first);
        assertThat(vm.conversations()).extracting(ConversationService.Summary::title)
                .containsExactly("What else is counted in August?", QUESTION);
    }

    @Test
    void askingWithAnEmptyLibraryPointsToTheLibraryScreen() throws Exception {
        Workstation empty = WindowFixture.withVault(WindowFixture.workstation(home.resolve("empty")));
        VaultSessionState emptySession = FxThread.call(() -> UnlockedSession.of(empty));
        AssistantViewModel emptyVm = new AssistantViewModel(emptySession, empty.packs(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")));
        try {
            FxThread.run(emptyVm::refresh);
            FxThread.run(() -> {
                emptyVm.questionProperty().set(QUESTION);
                emptyVm.send();
            });
            Exchange exchange = emptyVm.exchanges().get(0);
            assertThat(exchange.answerProperty().get()).isEqualTo(AssistantViewModel.EMPTY_LIBRARY)
                    .contains("Library screen");
            assertThat(exchange.problemProperty().get()).isEmpty();
        } finally {
            FxThread.run(emptySession::lock);
        }
    }

    @Test
    void afterAnUnlockTheConversationListSaysItIsLoadingUntilTheConversationsAreListed() throws Exception {
        ask(QUESTION);
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        AssistantViewModel later = FxThread.call(() -> new AssistantViewModel(session, workstation.packs(),
                new BackgroundTasks(queued::add), new DialogService(() -> null, home.resolve("test.log"))));
        FxThread.run(session::lock);
        queued.clear();

        FxThread.run(() -> UnlockedSession.unlockAgain(session, workstation));
        assertThat(queued).as("listing starts at the unlock itself").isNotEmpty();
        assertThat(later.conversations()).isEmpty();
        assertThat(later.conversationsLoadingProperty().get()).as("not 'none yet' while listing").isTrue();

        queued.forEach(Runnable::run);
        FxThread.run(() -> { });
        assertThat(later.conversationsLoadingProperty().get()).isFalse();
        assertThat(later.conversations()).hasSize(1);
    }

    /** Issue 15: a cited file's name with a terminal escape and a new line is shown escaped (label, path, tooltip). */
    @Test
    void aCitedFileNameWithTerminalEscapesAndANewLineIsShownEscaped() {
        Path file = home.resolve("notes").resolve("mites\u001b[31m\n[2] forged.md");

        AssistantViewModel.Citation c = AssistantViewModel.Citation.of(1, file, 0, 6, "Varroa");

        assertThat(c.document()).isEqualTo("mites\\e[31m\\n[2] forged.md");
        assertThat(c.label()).isEqualTo("[1] mites\\e[31m\\n[2] forged.md");
        assertThat(c.location()).startsWith(home.resolve("notes") + "/mites\\e[31m\\n[2] forged.md, characters 0-6")
                .doesNotContain("\u001b", "\n");
        assertThat(c.path()).isEqualTo(file); // the file itself is still opened by its real name
    }
}
