package org.sovereign.app.ui.assistant;

import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.assistant.AssistantViewModel.ModelChoice;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;
import org.testfx.api.FxRobot;

import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;

/** What the Assistant window tests share: opening the screen, its controls, and a watched real chat model. */
final class AssistantScreen {

    private AssistantScreen() {
    }

    /** Unlocks, opens the Assistant (Ctrl+1), waits for its two model choices (the tiny Llama and none). */
    static AssistantViewModel open(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT1).release(KeyCode.DIGIT1, KeyCode.CONTROL);
        WindowFixture.waitUntil(() -> robot.lookup("#assistant-view").tryQuery().isPresent()
                && modelBox(robot).getItems().size() == 2);
        return robot.lookup("#assistant-view").queryAs(AssistantView.class).viewModel();
    }

    @SuppressWarnings("unchecked")
    static ComboBox<ModelChoice> modelBox(FxRobot robot) {
        return robot.lookup("#assistant-model").queryAs(ComboBox.class);
    }

    static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** How a watched model answers, given the real one. */
    @FunctionalInterface
    interface Chat {
        GenerationResult chat(ChatModel real, List<ChatMessage> messages, GenerationRequest request,
                              TokenListener listener, CancellationSignal cancel);
    }

    /**
     * {@code real}, answering through {@code chat}; only its digest, chat and close are passed on (it renders no
     * prompts and counts no tokens for the prompt budget, as the tests were written against).
     */
    static ChatModel watched(ChatModel real, Chat chat) {
        return new ChatModel() {
            @Override
            public String packDigest() {
                return real.packDigest();
            }

            @Override
            public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener,
                                         CancellationSignal cancel) {
                return chat.chat(real, messages, request, listener, cancel);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }
}
