package org.sovereign.core.assistant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.packs.ModelLeases;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplateException;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The "ask a question" use case as every front end calls it: conversations, models and failures. Real vault. */
class AskQuestionTest {

    private static final String PURPOSE = "private assistant";

    @TempDir
    Path tmp;
    private UnlockedWorkspace workspace;
    private final List<String> opened = new ArrayList<>();

    /** A pack whose chat template refuses every conversation, as a broken or hostile template would. */
    private final ChatModel brokenTemplate = new ChatModel() {
        @Override
        public String packDigest() {
            return "sha256:" + "cd".repeat(32);
        }

        @Override
        public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener,
                                     CancellationSignal cancel) {
            throw new ChatTemplateException("The template stopped: it ran more than 1000000 steps");
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void setUp() throws Exception {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted with a sugar roll in August.");
        LocalStore store = LocalStore.create(tmp.resolve("home"), "ask test passphrase".toCharArray(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC());
        workspace = new UnlockedWorkspace(store, new ModelLeases(id -> {
            opened.add(id);
            if (id.equals("broken")) {
                return brokenTemplate;
            }
            throw new UserFacingException("There is no installed pack '" + id + "'.");
        }, Optional::empty), Clock.systemUTC());
        workspace.consents().grant(new GrantRequest(List.of(PURPOSE), EnumSet.of(Operation.INDEX, Operation.GENERATE),
                List.of(notes), List.of(), 30));
        workspace.library().index(notes, PURPOSE, Progress.NONE);
    }

    @AfterEach
    void tearDown() {
        workspace.close();
    }

    private AskRequest ask(String packId, long conversation) {
        return new AskRequest("when are mites counted?", PURPOSE, 4, packId, conversation, null, GenerationRequest.greedy(8));
    }

    @Test
    void withoutAModelTheAnswerIsThePassagesAndTheConversationIsStoredOnce() {
        List<Long> started = new ArrayList<>();
        Answer answer = workspace.assistant().ask(ask(null, -1), new AskListener() {
            @Override
            public void onToken(long tokenId, String textDelta) {
            }

            @Override
            public void conversationStarted(long conversationId) {
                started.add(conversationId);
            }
        }, new CancellationSignal());

        assertThat(answer.generated()).isFalse();
        assertThat(answer.text()).contains("sugar roll");
        assertThat(started).containsExactly(answer.conversationId());
        assertThat(workspace.conversations().list()).singleElement()
                .satisfies(c -> assertThat(c.id()).isEqualTo(answer.conversationId()));
        assertThat(workspace.conversations().exchanges(answer.conversationId())).singleElement()
                .satisfies(x -> assertThat(x.citations()).isNotEmpty());
        assertThat(workspace.assistant().storedExchange(answer))
                .isEqualTo(workspace.conversations().exchanges(answer.conversationId()).get(0).itemId());
    }

    @Test
    void aTemplateFailureIsAPlainErrorNamingThePack() {
        assertThatThrownBy(() -> workspace.assistant().ask(ask("broken", -1), (id, delta) -> { }, new CancellationSignal()))
                .isInstanceOf(UserFacingException.class)
                .hasMessage("The chat template of the pack 'broken' could not format the conversation: "
                        + "The template stopped: it ran more than 1000000 steps");
    }

    @Test
    void aPackThatCannotLoadLeavesNoConversationBehind() {
        assertThatThrownBy(() -> workspace.assistant().ask(ask("missing", -1), (id, delta) -> { }, new CancellationSignal()))
                .hasMessageContaining("no installed pack 'missing'");
        assertThat(opened).containsExactly("missing");
        assertThat(workspace.conversations().list()).isEmpty();
    }

    @Test
    void aConversationThatDoesNotExistIsRefusedBeforeAnyModelLoads() {
        assertThatThrownBy(() -> workspace.assistant().ask(ask("broken", 999), (id, delta) -> { }, new CancellationSignal()))
                .hasMessage("There is no conversation 999.");
        assertThat(opened).isEmpty();
    }

    @Test
    void aRefusedQuestionStaysInItsConversationWithAPlainNoteAndNeverReachesAModel() {
        workspace.store().consent().all().forEach(h -> workspace.store().consent().withdraw(h.recordId()));
        long[] started = {-1};
        assertThatThrownBy(() -> workspace.assistant().ask(ask(null, -1), new AskListener() {
            @Override
            public void onToken(long tokenId, String textDelta) {
            }

            @Override
            public void conversationStarted(long conversationId) {
                started[0] = conversationId;
            }
        }, new CancellationSignal())).isInstanceOf(ConsentRefusedException.class);

        List<ConversationService.StoredExchange> kept = workspace.conversations().exchanges(started[0]);
        assertThat(kept).singleElement().satisfies(x -> {
            assertThat(x.question()).isEqualTo("when are mites counted?");
            assertThat(x.answer()).isEqualTo(AskQuestion.REFUSED_ANSWER);
            assertThat(x.generated()).isFalse();
            assertThat(x.citations()).isEmpty();
        });
        assertThat(PromptBudget.history(kept)).as("never sent to a model as an earlier answer").isEmpty();
        assertThat(workspace.conversations().list()).singleElement()
                .satisfies(c -> assertThat(c.title()).isEqualTo("when are mites counted?"));
    }
}
