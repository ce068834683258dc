package org.sovereign.app.ui.assistant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantViewModel.ModelChoice;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.assistant.AssistantService;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.input.KeyCode;
import javafx.scene.text.Text;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;
import static org.sovereign.app.ui.assistant.AssistantScreen.modelBox;
import static org.sovereign.app.ui.assistant.AssistantScreen.text;

/**
 * Conversations, their instructions, edit-and-resend and the cited-document viewer in the real window (headless on
 * Monocle), on a real vault with the tiny Llama pack installed.
 */
@ExtendWith(ApplicationExtension.class)
class ConversationsUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;
    static final String PURPOSE = WindowFixture.PURPOSE;

    @TempDir
    static Path dataRoot;

    private Path notes;
    private MainWindow window;
    private Packs packs;

    @Start
    void start(Stage stage) throws Exception {
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.workstation(home);
        notes = Files.createDirectories(home.resolve("notes"));
        StringBuilder doc = new StringBuilder("Hive diary.\n\n");
        for (int i = 1; i <= 120; i++) {
            doc.append("Day ").append(i).append(": the bees foraged on clover and the weather was mild.\n");
        }
        doc.append("\nVarroa mites are counted every August with a sugar roll.\n");
        Files.writeString(notes.resolve("mites.md"), doc.toString());
        WindowFixture.vaultWithNotes(context, ConsentFixture.consent().purpose(PURPOSE).source(notes)
                .operations(Operation.INDEX, Operation.GENERATE), notes, null);
        packs = WindowFixture.installTinyLlama(context, home);
        window = WindowFixture.show(context, stage);
    }

    @SuppressWarnings("unchecked")
    private static ListView<ConversationService.Summary> list(FxRobot robot) {
        return robot.lookup("#assistant-conversations").queryAs(ListView.class);
    }

    private static void passagesOnly(FxRobot robot) {
        robot.clickOn("#assistant-model");
        robot.clickOn(ModelChoice.NONE.label());
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static void ask(FxRobot robot, AssistantViewModel vm, String question) throws Exception {
        int before = vm.exchanges().size();
        robot.clickOn("#assistant-input").write(question).type(KeyCode.ENTER);
        waitUntil(() -> vm.exchanges().size() > before && !vm.busyProperty().get()
                && vm.conversations().stream().anyMatch(c -> c.id() == vm.currentConversationProperty().get()));
    }

    private LocalStore store() {
        return window.session().unlockedProperty().get();
    }

    @Test
    void twoConversationsOneRenamedOneDeletedAndAfterLockingTheRestReopensWithItsExchanges(FxRobot robot) throws Exception {
        AssistantViewModel vm = AssistantScreen.open(robot);
        passagesOnly(robot);
        ask(robot, vm, "When are varroa mites counted?");
        long first = vm.currentConversationProperty().get();
        robot.clickOn("#assistant-new");
        ask(robot, vm, "What did the bees forage on?");
        long second = vm.currentConversationProperty().get();
        assertThat(second).isNotEqualTo(first);
        assertThat(list(robot).getItems()).extracting(ConversationService.Summary::id).containsExactly(second, first);
        assertThat(list(robot).getItems().get(1).title()).as("named by its first question").isEqualTo("When are varroa mites counted?");

        robot.clickOn("#assistant-title").press(KeyCode.CONTROL, KeyCode.A).release(KeyCode.A, KeyCode.CONTROL)
                .write("Forage log").type(KeyCode.ENTER);
        waitUntil(() -> list(robot).getItems().stream().anyMatch(c -> c.title().equals("Forage log")));

        robot.clickOn("When are varroa mites counted?"); // the first conversation, in the list
        waitUntil(() -> vm.currentConversationProperty().get() == first && vm.exchanges().size() == 1);
        robot.clickOn("#assistant-delete");
        assertThat(robot.lookup("#assistant-delete-bar").query().isVisible()).isTrue();
        robot.clickOn("#assistant-delete-confirm");
        waitUntil(() -> list(robot).getItems().size() == 1);
        assertThat(vm.exchanges()).as("the deleted conversation left the screen").isEmpty();
        assertThat(text(robot, "#assistant-conversation-message")).contains("key is erased");

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#unlock-passphrase").tryQuery().isPresent());
        assertThat(vm.conversations()).as("nothing listed while locked").isEmpty();
        AssistantScreen.open(robot);
        waitUntil(() -> list(robot).getItems().size() == 1);
        assertThat(list(robot).getItems().get(0).title()).isEqualTo("Forage log");
        assertThat(store().session().scope(first).isErased()).as("its scope key is erased").isTrue();

        robot.clickOn("Forage log");
        waitUntil(() -> vm.exchanges().size() == 1);
        assertThat(text(robot, "#assistant-question-1")).isEqualTo("What did the bees forage on?");
        assertThat(text(robot, "#assistant-answer-1")).startsWith("Retrieved passages");
        assertThat(robot.lookup("#assistant-citation-1-1").queryLabeled().getText()).startsWith("[1] mites.md");
    }

    @Test
    void theConversationsInstructionsReachTheTinyLlamaAndItsModelChoiceIsKept(FxRobot robot) throws Exception {
        AssistantViewModel vm = AssistantScreen.open(robot);
        List<List<ChatMessage>> prompts = new CopyOnWriteArrayList<>();
        vm.loadModelsWith(id -> {
            return AssistantScreen.watched(packs.runtime().openChatModel(id), (real, messages, request, listener, cancel) -> {
                prompts.add(List.copyOf(messages));
                return real.chat(messages, request, listener, cancel);
            });
        });
        Platform.runLater(() -> vm.maxTokensProperty().set(6));
        robot.clickOn("#assistant-instructions");
        waitUntil(() -> robot.lookup("#assistant-instructions").queryAs(TitledPane.class).isExpanded());
        assertThat(robot.lookup("#assistant-system-prompt").queryAs(TextArea.class).getPromptText())
                .isEqualTo(AssistantService.DEFAULT_INSTRUCTIONS);
        robot.clickOn("#assistant-system-prompt").write("Answer as a cheerful beekeeper.");
        robot.clickOn("#assistant-system-save");

        ask(robot, vm, "When are varroa mites counted?");
        assertThat(vm.lastAnswerProperty().get().generated()).isTrue();
        assertThat(prompts).singleElement().satisfies(m -> {
            assertThat(m.get(0).role()).isEqualTo("system");
            assertThat(m.get(0).content()).startsWith("Answer as a cheerful beekeeper.\n").contains("[1] (mites.md)");
        });
        long id = vm.currentConversationProperty().get();
        ConversationService.Settings stored = new ConversationService(store()).settings(id);
        assertThat(stored.systemPrompt()).isEqualTo("Answer as a cheerful beekeeper.");
        assertThat(stored.packId()).isEqualTo(modelBox(robot).getValue().packId());

        passagesOnly(robot);
        waitUntil(() -> "".equals(new ConversationService(store()).settings(id).packId()));
        robot.clickOn("#assistant-new");
        assertThat(robot.lookup("#assistant-system-prompt").queryAs(TextArea.class).getText()).isEmpty();
        ask(robot, vm, "What did the bees forage on?");
        robot.clickOn("When are varroa mites counted?");
        waitUntil(() -> vm.currentConversationProperty().get() == id && vm.exchanges().size() == 1);
        assertThat(robot.lookup("#assistant-system-prompt").queryAs(TextArea.class).getText())
                .isEqualTo("Answer as a cheerful beekeeper.");
        assertThat(modelBox(robot).getValue()).isEqualTo(ModelChoice.NONE);
    }

    @Test
    void whenOlderMessagesDoNotFitTheTinyLlamasContextTheAnswerSaysSoInPlainWords(FxRobot robot) throws Exception {
        AssistantViewModel vm = AssistantScreen.open(robot);
        Platform.runLater(() -> vm.maxTokensProperty().set(16));
        String pack = modelBox(robot).getItems().stream().filter(c -> !c.isNone()).findFirst().orElseThrow().packId();
        long id = new ConversationService(store()).create(new ConversationService.Settings("Long talk", "Use the passages.", pack));
        ObjectMapper json = new ObjectMapper();
        for (int i = 1; i <= 12; i++) { // a long conversation, stored as the assistant stores it
            var x = json.createObjectNode().put("question", "Old question " + i + "?").put("answer", "Old answer " + i + ".")
                    .put("generated", true);
            x.putArray("citations");
            store().session().putItem(id, "exchange", json.writeValueAsBytes(x));
        }
        Platform.runLater(vm::reloadConversations);
        waitUntil(() -> list(robot).getItems().stream().anyMatch(c -> c.title().equals("Long talk")));
        robot.clickOn("Long talk");
        waitUntil(() -> vm.currentConversationProperty().get() == id && vm.exchanges().size() == 12);
        assertThat(robot.lookup("#assistant-note-12").query().isVisible()).as("no note on stored answers without one").isFalse();

        ask(robot, vm, "When are varroa mites counted?");
        waitUntil(() -> vm.lastAnswerProperty().get() != null);

        int leftOut = vm.lastAnswerProperty().get().earlierLeftOut();
        assertThat(leftOut).isPositive();
        String note = "Earlier messages left out to fit the model's context: " + 2 * leftOut + " (the " + leftOut
                + " oldest questions and their answers).";
        assertThat(text(robot, "#assistant-note-13")).isEqualTo(note);
        assertThat(robot.lookup("#assistant-note-13").query().isVisible()).isTrue();

        robot.clickOn("#assistant-new");
        robot.clickOn("Long talk");
        waitUntil(() -> vm.currentConversationProperty().get() == id && vm.exchanges().size() == 13);
        assertThat(text(robot, "#assistant-note-13")).as("kept with the stored answer").isEqualTo(note);
    }

    @Test
    void editAndResendReplacesThatExchangeAndDropsTheLaterOnes(FxRobot robot) throws Exception {
        AssistantViewModel vm = AssistantScreen.open(robot);
        passagesOnly(robot);
        ask(robot, vm, "first question about mites");
        ask(robot, vm, "second question about clover");
        long id = vm.currentConversationProperty().get();

        Platform.runLater(() -> robot.lookup("#assistant-conversation").queryAs(ScrollPane.class).setVvalue(0));
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn("#assistant-edit-1");
        assertThat(robot.lookup("#assistant-input").queryAs(TextArea.class).getText()).isEqualTo("first question about mites");
        assertThat(robot.lookup("#assistant-edit-bar").query().isVisible()).isTrue();
        robot.eraseText(5).write("varroa").type(KeyCode.ENTER);
        waitUntil(() -> !vm.busyProperty().get() && vm.exchanges().size() == 1
                && !vm.exchanges().get(0).answerProperty().get().isEmpty());

        assertThat(text(robot, "#assistant-question-1")).isEqualTo("first question about varroa");
        assertThat(new ConversationService(store()).exchanges(id)).extracting(ConversationService.StoredExchange::question)
                .containsExactly("first question about varroa");
        assertThat(robot.lookup("#assistant-edit-bar").query().isVisible()).isFalse();
    }

    @Test
    void aCitationOpensTheDocumentAtThePassageHighlightedAndSaysWhereTheTextCameFrom(FxRobot robot) throws Exception {
        AssistantViewModel vm = AssistantScreen.open(robot);
        passagesOnly(robot);
        List<Path> opened = new CopyOnWriteArrayList<>();
        vm.openFilesWith(opened::add);
        ask(robot, vm, "When are varroa mites counted?");
        Path file = notes.resolve("mites.md");
        String full = Files.readString(file);

        robot.clickOn("#assistant-citation-1-1");
        waitUntil(() -> vm.documentProperty().get() != null);
        AssistantViewModel.Citation cite = vm.selectedCitationProperty().get();
        Text passage = robot.lookup("#assistant-doc-passage").queryAs(Text.class);
        assertThat(passage.getText()).isEqualTo(full.substring(cite.start(), cite.end())).contains("Varroa mites are counted");
        assertThat(passage.getStyleClass()).contains("document-passage");
        assertThat(text(robot, "#assistant-doc-origin")).contains("from the file on disk");
        assertThat(robot.lookup("#assistant-doc-warning").query().isVisible()).isFalse();
        WaitForAsyncUtils.waitForFxEvents();
        Node viewer = robot.lookup("#assistant-doc").query();
        waitUntil(() -> inside(passage, viewer));
        assertThat(inside(passage, viewer)).as("scrolled to the passage").isTrue();

        robot.clickOn("#assistant-doc-open-file");
        waitUntil(() -> !opened.isEmpty());
        assertThat(opened).containsExactly(file);
        assertThat(robot.lookup("#assistant-doc-open-problem").query().isVisible()).isFalse();

        // the system cannot open it: said in plain words beside the button, not as the system's raw message
        vm.openFilesWith(f -> {
            throw new java.io.UncheckedIOException(new java.io.IOException("Failed to open " + f.toUri()
                    + ". Error message: No application is associated"));
        });
        robot.clickOn("#assistant-doc-open-file");
        waitUntil(() -> robot.lookup("#assistant-doc-open-problem").query().isVisible());
        assertThat(text(robot, "#assistant-doc-open-problem")).isEqualTo("The file could not be opened: no "
                + "application on this computer would open it. It is at " + file + ".").doesNotContain("file:");
        assertThat(robot.lookup("#assistant-doc-open-problem").query().getParent())
                .as("in the document panel, beside the button")
                .isSameAs(robot.lookup("#assistant-doc-open-file").query().getParent().getParent());
        vm.openFilesWith(opened::add);

        Files.writeString(file, "A new first line.\n" + full);
        robot.clickOn("#assistant-cited-close");
        robot.clickOn("#assistant-citation-1-1");
        waitUntil(() -> vm.documentProperty().get() != null);
        assertThat(text(robot, "#assistant-doc-warning")).contains("changed since it was indexed", "found again");

        Files.delete(file);
        robot.clickOn("#assistant-cited-close");
        robot.clickOn("#assistant-citation-1-1");
        waitUntil(() -> vm.documentProperty().get() != null);
        assertThat(text(robot, "#assistant-doc-origin")).contains("rebuilt from the encrypted passages");
        assertThat(robot.lookup("#assistant-doc-passage").queryAs(Text.class).getText()).contains("Varroa mites are counted");
        assertThat(robot.lookup("#assistant-doc-open-file").queryButton().isDisabled()).isTrue();
    }

    /** Whether the middle of {@code node} is within {@code viewport} on screen. */
    private static boolean inside(Node node, Node viewport) {
        Bounds n = node.localToScene(node.getBoundsInLocal());
        Bounds v = viewport.localToScene(viewport.getBoundsInLocal());
        double y = n.getMinY() + Math.min(n.getHeight(), 20) / 2;
        return y >= v.getMinY() && y <= v.getMaxY();
    }
}
