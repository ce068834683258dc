package org.sovereign.core.assistant;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.library.ChunkStore;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.FolderChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** The assistant on a real vault, real files and the real tiny Llama fixture run by ONNX Runtime. */
class AssistantServiceTest {

    private static final String PURPOSE = "private assistant";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;
    private Path notes;
    private LocalStore store;
    private AssistantService assistant;

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("bees.md"), "Varroa mites are counted with a sugar roll in August.");
        store = LocalStore.create(tmp.resolve("home"), "assistant test passphrase".toCharArray(),
                TestKdf.FAST, Clock.systemUTC());
        LibraryService library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), null);
        assistant = new AssistantService(store, library);
        String indexing = grant(Set.of(Operation.INDEX));
        library.index(notes, PURPOSE, Progress.NONE);
        store.consent().withdraw(indexing);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private String grant(Set<Operation> ops) {
        return ConsentFixture.consent().purpose(PURPOSE).source(notes).operations(ops).grantIn(store);
    }

    private List<AuditEntry> inferences() {
        return store.audit().entries(0, store.audit().size()).stream().filter(e -> e.type().equals(AuditTypes.INFERENCE)).toList();
    }

    private ChatModel tinyLlama() {
        assertThat(TINY_LLAMA.resolve("model.onnx")).exists();
        return new FolderChatModel(TINY_LLAMA, DIGEST);
    }

    @Test
    void withoutAModelItShowsLabelledPassagesAndRecordsThat() {
        String consent = grant(Set.of(Operation.INDEX));

        Answer a = assistant.ask("varroa mites", PURPOSE, 3, null, -1, null, TokenListener.none(), new CancellationSignal());

        assertThat(a.generated()).isFalse();
        assertThat(a.text()).startsWith("Retrieved passages (no text-generation model was used")
                .contains("[1] bees.md: Varroa mites are counted with a sugar roll in August.");
        assertThat(a.consentId()).isEqualTo(consent);
        AuditEntry entry = inferences().get(0);
        assertThat(entry.refs()).containsEntry("consent", consent).containsEntry("packDigest", "none (retrieved passages only)");
        assertThat(entry.commitments()).containsOnlyKeys("prompt", "output");
        assertThat(entry.toBytes()).asString().doesNotContain("varroa", "Varroa");
    }

    @Test
    void generatesWithTheRealModelStreamingTokensAndAuditsThePack() {
        String consent = grant(Set.of(Operation.INDEX, Operation.GENERATE));
        List<String> deltas = new ArrayList<>();

        try (ChatModel model = tinyLlama()) {
            Answer a = assistant.ask("How are varroa mites counted?", PURPOSE, 3, model, -1,
                    GenerationRequest.greedy(12), (id, delta) -> deltas.add(delta), new CancellationSignal());

            assertThat(a.generated()).isTrue();
            assertThat(a.stats().tokenIds()).isNotEmpty().hasSizeLessThanOrEqualTo(12);
            assertThat(String.join("", deltas)).isEqualTo(a.text());
            assertThat(a.citations()).extracting(p -> p.document().getFileName().toString()).containsExactly("bees.md");
            assertThat(inferences()).singleElement().satisfies(e -> {
                assertThat(e.refs()).containsEntry("consent", consent).containsEntry("packDigest", DIGEST).containsEntry("documents", "1");
                // the version of bees.md used is the one its ingest entry committed to
                String beesVersion = store.audit().entries(0, store.audit().size()).stream()
                        .filter(x -> x.type().equals(AuditTypes.DOCUMENT_INGESTED))
                        .map(x -> x.commitments().get("documentVersion"))
                        .filter(v -> v.equals(a.citations().get(0).documentVersion()))
                        .findFirst().orElseThrow();
                assertThat(e.refs()).containsEntry("documentVersions", beesVersion);
                assertThat(e.sequence()).isEqualTo(a.auditSequence());
            });
        }
    }

    @Test
    void noGenerationWithoutAConsentForIt() {
        grant(Set.of(Operation.INDEX));

        try (ChatModel model = tinyLlama()) {
            assertThatThrownBy(() -> assistant.ask("varroa", PURPOSE, 3, model, -1, GenerationRequest.greedy(5),
                    TokenListener.none(), new CancellationSignal()))
                    .isInstanceOf(ConsentRefusedException.class)
                    .hasMessageContaining("does not allow the operation 'generate'");
        }
        assertThat(inferences()).isEmpty();
    }

    @Test
    void anAnswerFinishedAfterAWithdrawalIsDiscarded() {
        String consent = grant(Set.of(Operation.INDEX, Operation.GENERATE));
        long conversationsBefore = store.session().scopes().stream().filter(s -> s.kind().equals("conversation")).count();

        try (ChatModel model = tinyLlama()) {
            TokenListener withdrawOnFirstToken = new TokenListener() {
                boolean done;

                @Override
                public void onToken(long tokenId, String textDelta) {
                    if (!done) {
                        done = true;
                        store.consent().withdraw(consent);
                    }
                }
            };
            assertThatThrownBy(() -> assistant.ask("varroa", PURPOSE, 3, model, -1, GenerationRequest.greedy(8),
                    withdrawOnFirstToken, new CancellationSignal()))
                    .isInstanceOf(ConsentRefusedException.class).hasMessageContaining("withdrawn");
        }
        assertThat(inferences()).isEmpty();
        assertThat(store.session().scopes().stream().filter(s -> s.kind().equals("conversation")).count()).isEqualTo(conversationsBefore);
    }

    /** The real model, recording the messages it is given (what it renders and counts is its own). */
    private static final class Recording implements ChatModel {
        final ChatModel real;
        final List<List<ChatMessage>> seen = new CopyOnWriteArrayList<>();

        Recording(ChatModel real) {
            this.real = real;
        }

        @Override
        public String packDigest() {
            return real.packDigest();
        }

        @Override
        public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener,
                                     CancellationSignal cancel) {
            seen.add(List.copyOf(messages));
            return real.chat(messages, request, listener, cancel);
        }

        @Override
        public int contextLimit() {
            return real.contextLimit();
        }

        @Override
        public String renderPrompt(List<ChatMessage> messages) {
            return real.renderPrompt(messages);
        }

        @Override
        public int promptTokens(List<ChatMessage> messages) {
            return real.promptTokens(messages);
        }

        @Override
        public void close() {
            real.close();
        }
    }

    @Test
    void aContinuedConversationIsRenderedWithTheEarlierQuestionAndAnswerBeforeTheNewQuestion() {
        grant(Set.of(Operation.INDEX, Operation.GENERATE));
        try (Recording model = new Recording(tinyLlama())) {
            Answer first = assistant.ask("How are varroa mites counted?", PURPOSE, 3, model, -1,
                    GenerationRequest.greedy(8), TokenListener.none(), new CancellationSignal());
            Answer second = assistant.ask("And when are the mites counted?", PURPOSE, 3, model, first.conversationId(),
                    GenerationRequest.greedy(8), TokenListener.none(), new CancellationSignal());

            assertThat(first.text()).as("the fixture writes something to remember").isNotBlank();
            List<ChatMessage> sent = model.seen.get(1);
            assertThat(sent).extracting(ChatMessage::role).containsExactly("system", "user", "assistant", "user");
            assertThat(sent.subList(1, 4)).extracting(ChatMessage::content)
                    .containsExactly("How are varroa mites counted?", first.text(), "And when are the mites counted?");

            String rendered = model.renderPrompt(sent);
            int q1 = rendered.indexOf("<|im_start|>user\nHow are varroa mites counted?<|im_end|>");
            int a1 = rendered.indexOf("<|im_start|>assistant\n" + first.text() + "<|im_end|>");
            int q2 = rendered.indexOf("<|im_start|>user\nAnd when are the mites counted?<|im_end|>");
            assertThat(q1).isPositive();
            assertThat(a1).isGreaterThan(q1);
            assertThat(q2).isGreaterThan(a1);
            assertThat(rendered.split("\\[1] \\(bees.md\\)", -1)).as("the passage is given once, for the new question")
                    .hasSize(2);
            assertThat(rendered.indexOf("[1] (bees.md)")).isLessThan(q1);
            // what the budget measured is what the model was fed
            assertThat(second.stats().promptTokens()).isEqualTo(model.promptTokens(sent))
                    .isGreaterThan(first.stats().promptTokens());
            assertThat(second.earlierSent()).isEqualTo(1);
            assertThat(second.earlierLeftOut()).isZero();
            assertThat(inferences()).last().satisfies(e -> {
                assertThat(e.refs()).containsEntry("earlierExchanges", "1");
                assertThat(e.commitments()).containsOnlyKeys("prompt", "output");
                assertThat(e.toBytes()).asString().doesNotContain("varroa", first.text());
            });
        }
    }

    @Test
    void anEarlierAnswerIsNotSentAgainOnceTheConsentForItsDocumentsIsWithdrawn() throws Exception {
        // a second source with its own consent, so the conversation can go on after the first is withdrawn
        Path garden = Files.createDirectories(tmp.resolve("garden"));
        Files.writeString(garden.resolve("quince.md"), "Quince jelly sets best with a squeeze of lemon.");
        String gardenConsent = ConsentFixture.consent().purpose(PURPOSE).source(garden)
                .operations(Operation.INDEX, Operation.GENERATE).grantIn(store);
        new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), null).index(garden, PURPOSE, Progress.NONE);
        String beesConsent = grant(Set.of(Operation.INDEX, Operation.GENERATE));

        try (Recording model = new Recording(tinyLlama())) {
            Answer first = assistant.ask("How are varroa mites counted?", PURPOSE, 3, model, -1,
                    GenerationRequest.greedy(8), TokenListener.none(), new CancellationSignal());
            assertThat(first.citations()).extracting(p -> p.document().getFileName().toString()).containsExactly("bees.md");
            Answer second = assistant.ask("What sets quince jelly?", PURPOSE, 3, model, first.conversationId(),
                    GenerationRequest.greedy(8), TokenListener.none(), new CancellationSignal());
            assertThat(second.earlierSent()).as("both consents hold: the bees exchange goes along").isEqualTo(1);

            store.consent().withdraw(beesConsent);
            Answer third = assistant.ask("Does quince jelly need lemon?", PURPOSE, 3, model, first.conversationId(),
                    GenerationRequest.greedy(8), TokenListener.none(), new CancellationSignal());

            List<ChatMessage> sent = model.seen.get(2);
            assertThat(sent).extracting(ChatMessage::content).doesNotContain("How are varroa mites counted?", first.text())
                    .contains("What sets quince jelly?", "Does quince jelly need lemon?");
            assertThat(String.join("\n", sent.stream().map(ChatMessage::content).toList())).doesNotContain("Varroa");
            assertThat(third.earlierSent()).isEqualTo(1);
            assertThat(third.earlierWithheld()).isEqualTo(1);
            assertThat(third.consentId()).isEqualTo(gardenConsent);
            assertThat(new ConversationService(store).exchanges(first.conversationId())).last()
                    .extracting(ConversationService.StoredExchange::earlierWithheld).isEqualTo(1);
            assertThat(PromptBudget.historyNote(0, third.earlierWithheld()))
                    .isEqualTo("Earlier messages not sent to the model because the consent for the documents they cite "
                            + "no longer covers them: 2.");
        }
    }

    @Test
    void aLongConversationIsCutToTheNewestWholeExchangesThatFitTheTinyLlamasContext() throws Exception {
        grant(Set.of(Operation.INDEX, Operation.GENERATE));
        String instructions = "Use the passages.";
        ConversationService conversations = new ConversationService(store);
        long id = conversations.create(new ConversationService.Settings("", instructions, null));
        ObjectMapper json = new ObjectMapper();
        int stored = 12;
        for (int i = 1; i <= stored; i++) { // earlier exchanges, stored as the assistant stores them
            var x = json.createObjectNode().put("question", "Old question " + i + "?").put("answer", "Old answer " + i + ".")
                    .put("generated", true);
            x.putArray("citations");
            store.session().putItem(id, "exchange", json.writeValueAsBytes(x));
        }
        int answerRoom = 16;

        try (Recording model = new Recording(tinyLlama())) {
            Answer a = assistant.ask("When are the mites counted?", PURPOSE, 3, model, id, instructions,
                    GenerationRequest.greedy(answerRoom), TokenListener.none(), new CancellationSignal());

            int limit = model.contextLimit();
            assertThat(limit).isEqualTo(256);
            int kept = a.earlierSent();
            assertThat(kept).as("some history fits").isPositive();
            assertThat(a.earlierLeftOut()).as("but not all of it").isPositive().isEqualTo(stored - kept);
            List<ChatMessage> sent = model.seen.get(0);
            List<String> expected = new ArrayList<>();
            for (int i = stored - kept + 1; i <= stored; i++) {
                expected.add("user:Old question " + i + "?");
                expected.add("assistant:Old answer " + i + ".");
            }
            expected.add("user:When are the mites counted?");
            assertThat(sent.subList(1, sent.size())).extracting(m -> m.role() + ":" + m.content())
                    .as("the newest exchanges, whole and in order, then the question").containsExactlyElementsOf(expected);
            assertThat(sent.get(0).content()).startsWith(instructions).contains("[1] (bees.md)");
            assertThat(a.citations()).as("the passage is kept while history gives way").hasSize(1);

            assertThat(a.stats().promptTokens()).isEqualTo(model.promptTokens(sent))
                    .isLessThanOrEqualTo(limit - answerRoom);
            List<ChatMessage> oneMore = new ArrayList<>(sent);
            int older = stored - kept;
            oneMore.add(1, ChatMessage.assistant("Old answer " + older + "."));
            oneMore.add(1, ChatMessage.user("Old question " + older + "?"));
            assertThat(model.promptTokens(oneMore)).as("one more exchange would not have fitted")
                    .isGreaterThan(limit - answerRoom);
            assertThat(conversations.exchanges(id)).last()
                    .satisfies(x -> assertThat(x.earlierLeftOut()).isEqualTo(a.earlierLeftOut()));
            System.out.printf("tiny Llama: %d of %d earlier exchanges sent, prompt %d tokens + %d for the answer <= %d%n",
                    kept, stored, a.stats().promptTokens(), answerRoom, limit);
        }
    }

    /**
     * Issue 15: the passages-only answer names each document; a name with a terminal escape and a new line is shown
     * escaped, so it cannot colour the answer or start a line that looks like another passage (the command line keeps
     * an answer's new lines).
     */
    @Test
    void thePassagesOnlyAnswerShowsAHostileFileNameEscaped() {
        Path file = tmp.resolve("mites\u001b[31m\n[2] forged.md");
        String answer = AssistantService.retrievedOnly(List.of(
                new org.sovereign.core.library.Passage(file, 0, 0, 6, "Varroa", 1.0, "v1")));

        assertThat(answer).contains("[1] mites\\e[31m\\n[2] forged.md: Varroa").doesNotContain("\u001b")
                .doesNotContain("\n[2] forged");
    }
}
