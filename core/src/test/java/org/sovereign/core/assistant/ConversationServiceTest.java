package org.sovereign.core.assistant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.library.ChunkStore;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.CitedDocuments;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.FinishReason;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.ScopeErasedException;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Conversations on a real vault (cheap Argon2): encrypted settings, reopening, edit-and-resend, deletion. */
class ConversationServiceTest {

    private static final String PURPOSE = "private assistant";
    private static final char[] PASSPHRASE = "conversation test passphrase".toCharArray();
    private static final String SECRET_TITLE = "Plans for the Zanzibar hive";

    @TempDir
    Path tmp;
    private Path notes;
    private LocalStore store;
    private LibraryService library;

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("bees.md"), "Hive notes.\n\nVarroa mites are counted with a sugar roll in August.");
        store = LocalStore.create(tmp.resolve("home"), PASSPHRASE.clone(), TestKdf.FAST,
                Clock.systemUTC());
        library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), null);
        ConsentFixture.consent().purpose(PURPOSE).source(notes).operations(Operation.INDEX, Operation.GENERATE).grantIn(store);
        library.index(notes, PURPOSE, Progress.NONE);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private LocalStore reopen() {
        store.close();
        store = LocalStore.unlock(tmp.resolve("home"), PASSPHRASE.clone(), Clock.systemUTC());
        library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), null);
        return store;
    }

    /** Records the messages it is given and answers with a fixed text (or {@code reply} of the question). */
    private static final class RecordingModel implements ChatModel {
        final List<List<ChatMessage>> seen = new CopyOnWriteArrayList<>();
        UnaryOperator<String> reply = q -> "In August [1].";

        @Override
        public String packDigest() {
            return "sha256:" + "cd".repeat(32);
        }

        @Override
        public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener,
                                     CancellationSignal cancel) {
            seen.add(List.copyOf(messages));
            String text = reply.apply(messages.get(messages.size() - 1).content());
            listener.onToken(1, text);
            return new GenerationResult(new long[] {1}, text, FinishReason.END_OF_SEQUENCE, 10,
                    Duration.ofMillis(1), Duration.ofMillis(2));
        }

        @Override
        public void close() {
        }
    }

    @Test
    void settingsAreStoredEncryptedAndSurviveLockingWhileListsShowTitlesAndActivity() throws Exception {
        ConversationService conversations = new ConversationService(store);
        long a = conversations.create(new ConversationService.Settings("", "", null));
        long b = conversations.create(new ConversationService.Settings("second", "Answer in French.", "pack-1"));
        conversations.rename(a, SECRET_TITLE);
        conversations.setSystemPrompt(a, "Answer like a beekeeper.");
        conversations.setPack(a, "");

        reopen();
        conversations = new ConversationService(store);
        assertThat(conversations.list()).extracting(ConversationService.Summary::id).containsExactlyInAnyOrder(a, b);
        assertThat(conversations.summary(a).title()).isEqualTo(SECRET_TITLE);
        ConversationService.Settings s = conversations.settings(a);
        assertThat(s.systemPrompt()).isEqualTo("Answer like a beekeeper.");
        assertThat(s.packId()).as("passages only, chosen").isEmpty();
        assertThat(conversations.settings(b).packId()).isEqualTo("pack-1");
        assertThat(store.session().items(a)).as("the old settings records are deleted").hasSize(1);

        store.close();
        byte[] file = Files.readAllBytes(LocalStore.vaultFile(tmp.resolve("home")));
        assertThat(new String(file, StandardCharsets.ISO_8859_1)).doesNotContain("Zanzibar", "beekeeper", "French");
        store = LocalStore.unlock(tmp.resolve("home"), PASSPHRASE.clone(), Clock.systemUTC());
    }

    @Test
    void theConversationsSystemPromptIsGivenToTheModelWithThePassagesAndItsExchangesComeBack() {
        ConversationService conversations = new ConversationService(store);
        long id = conversations.create(new ConversationService.Settings("", "Reply in one short sentence.", null));
        RecordingModel model = new RecordingModel();
        AssistantService assistant = new AssistantService(store, library);

        Answer answer = assistant.ask("When are mites counted?", PURPOSE, 3, model, id,
                conversations.settings(id).effectiveSystemPrompt(), GenerationRequest.greedy(8), TokenListener.none(),
                new CancellationSignal());

        assertThat(answer.conversationId()).isEqualTo(id);
        String system = model.seen.get(0).get(0).content();
        assertThat(model.seen.get(0).get(0).role()).isEqualTo("system");
        assertThat(system).startsWith("Reply in one short sentence.\n")
                .doesNotContain(AssistantService.DEFAULT_INSTRUCTIONS)
                .contains("[1] (bees.md) Hive notes.");
        assertThat(model.seen.get(0).get(1).content()).isEqualTo("When are mites counted?");

        reopen();
        conversations = new ConversationService(store);
        List<ConversationService.StoredExchange> stored = conversations.exchanges(id);
        assertThat(stored).singleElement().satisfies(x -> {
            assertThat(x.question()).isEqualTo("When are mites counted?");
            assertThat(x.answer()).isEqualTo("In August [1].");
            assertThat(x.generated()).isTrue();
            assertThat(x.citations()).singleElement().satisfies(c -> {
                assertThat(c.number()).isEqualTo(1);
                assertThat(c.path()).isEqualTo(notes.resolve("bees.md"));
                assertThat(c.text()).contains("Varroa mites");
            });
        });
        assertThat(conversations.summary(id).exchanges()).isEqualTo(1);
    }

    @Test
    void withoutItsOwnPromptTheDefaultInstructionsAreUsed() {
        RecordingModel model = new RecordingModel();
        new AssistantService(store, library).ask("mites", PURPOSE, 3, model, -1, "  ", GenerationRequest.greedy(4),
                TokenListener.none(), new CancellationSignal());
        assertThat(model.seen.get(0).get(0).content()).startsWith(AssistantService.DEFAULT_INSTRUCTIONS);
        assertThat(new ConversationService(store).list()).singleElement()
                .satisfies(s -> assertThat(s.title()).as("named by its first question").isEqualTo("mites"));
    }

    @Test
    void editAndResendRemovesTheEditedExchangeAndEveryLaterOne() {
        ConversationService conversations = new ConversationService(store);
        AssistantService assistant = new AssistantService(store, library);
        long id = conversations.create(new ConversationService.Settings("t", "", ""));
        for (String q : List.of("first", "second", "third")) {
            assistant.ask(q, PURPOSE, 2, null, id, null, GenerationRequest.greedy(1), TokenListener.none(), new CancellationSignal());
        }
        List<ConversationService.StoredExchange> before = conversations.exchanges(id);

        assertThat(conversations.removeFrom(id, before.get(1).itemId())).isEqualTo(2);
        assistant.ask("second, edited", PURPOSE, 2, null, id, null, GenerationRequest.greedy(1), TokenListener.none(),
                new CancellationSignal());

        assertThat(conversations.exchanges(id)).extracting(ConversationService.StoredExchange::question)
                .containsExactly("first", "second, edited");
        assertThat(conversations.settings(id).title()).as("settings kept").isEqualTo("t");
        assertThat(conversations.lastExchangeId(id)).contains(conversations.exchanges(id).get(1).itemId());
    }

    /** The turns after the system message, as role:content. */
    private static List<String> turns(List<ChatMessage> messages) {
        assertThat(messages.get(0).role()).isEqualTo("system");
        return messages.subList(1, messages.size()).stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    @Test
    void theModelGetsTheEarlierExchangesAndAfterAnEditAndResendOnlyThoseBeforeTheEditedOne() {
        ConversationService conversations = new ConversationService(store);
        AssistantService assistant = new AssistantService(store, library);
        RecordingModel model = new RecordingModel();
        model.reply = q -> "About " + q + ".";
        long id = conversations.create(new ConversationService.Settings("t", "", ""));
        for (String q : List.of("mites first", "mites second", "mites third")) {
            assistant.ask(q, PURPOSE, 2, model, id, null, GenerationRequest.greedy(4), TokenListener.none(),
                    new CancellationSignal());
        }
        assertThat(turns(model.seen.get(0))).containsExactly("user:mites first");
        assertThat(turns(model.seen.get(2))).containsExactly("user:mites first", "assistant:About mites first.",
                "user:mites second", "assistant:About mites second.", "user:mites third");
        assertThat(model.seen.get(2).get(0).content()).as("the passages stay in the system message")
                .contains("[1] (bees.md)");

        // edit-and-resend of "mites second", as the Assistant screen does it: remove it and the later ones, then ask
        conversations.removeFrom(id, conversations.exchanges(id).get(1).itemId());
        Answer edited = assistant.ask("mites second, edited", PURPOSE, 2, model, id, null, GenerationRequest.greedy(4),
                TokenListener.none(), new CancellationSignal());
        assertThat(turns(model.seen.get(3))).containsExactly("user:mites first", "assistant:About mites first.",
                "user:mites second, edited");
        assertThat(edited.earlierSent()).isEqualTo(1);
        assertThat(edited.earlierLeftOut()).isZero();

        // an answer made of retrieved passages only (no model) is not something the model said: it is not sent
        assistant.ask("mites fourth", PURPOSE, 2, null, id, null, GenerationRequest.greedy(4), TokenListener.none(),
                new CancellationSignal());
        assistant.ask("mites fifth", PURPOSE, 2, model, id, null, GenerationRequest.greedy(4), TokenListener.none(),
                new CancellationSignal());
        assertThat(turns(model.seen.get(4))).containsExactly("user:mites first", "assistant:About mites first.",
                "user:mites second, edited", "assistant:About mites second, edited.", "user:mites fifth");
    }

    @Test
    void deletingErasesTheConversationsKeyAndIsAudited() {
        ConversationService conversations = new ConversationService(store);
        long keep = conversations.create(new ConversationService.Settings("keep", "", null));
        long gone = conversations.create(new ConversationService.Settings("gone", "", null));
        new AssistantService(store, library).ask("mites", PURPOSE, 2, null, gone, null, GenerationRequest.greedy(1),
                TokenListener.none(), new CancellationSignal());
        long size = store.audit().size();

        conversations.delete(gone);

        reopen();
        conversations = new ConversationService(store);
        assertThat(conversations.list()).extracting(ConversationService.Summary::id).containsExactly(keep);
        assertThat(store.session().scope(gone).isErased()).isTrue();
        assertThat(store.session().items(gone)).isEmpty();
        assertThatThrownBy(() -> store.session().putItem(gone, "exchange", new byte[] {1}))
                .isInstanceOf(ScopeErasedException.class);
        ConversationService c = conversations;
        assertThatThrownBy(() -> c.exchanges(gone)).isInstanceOf(UserFacingException.class).hasMessageContaining("deleted");
        assertThat(store.audit().entries(size, store.audit().size())).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(ConversationService.ERASED);
            assertThat(e.refs()).containsEntry("scope", Long.toString(gone));
        });
    }

    @Test
    void aDeletionWhoseAuditEntryCannotBeWrittenErasesNothing() throws Exception {
        ConversationService conversations = new ConversationService(store);
        long id = conversations.create(new ConversationService.Settings(SECRET_TITLE, "", null));
        long size = store.audit().size();
        // what a crash between the two writes would leave is ruled out if the entry's failure undoes the erasure
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(tmp.resolve("home")));
             Statement st = raw.createStatement()) {
            st.executeUpdate("CREATE TRIGGER no_audit BEFORE INSERT ON audit_entry BEGIN SELECT RAISE(ABORT, 'full'); END");
        }

        assertThatThrownBy(() -> conversations.delete(id)).isInstanceOf(RuntimeException.class);

        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + LocalStore.vaultFile(tmp.resolve("home")));
             Statement st = raw.createStatement()) {
            st.executeUpdate("DROP TRIGGER no_audit");
        }
        reopen();
        assertThat(store.session().scope(id).isErased()).as("the key is still there").isFalse();
        assertThat(new ConversationService(store).settings(id).title()).isEqualTo(SECRET_TITLE);
        assertThat(store.audit().entries(size, store.audit().size()))
                .noneMatch(e -> e.type().equals(ConversationService.ERASED));
        new ConversationService(store).delete(id);
        assertThat(store.audit().entries(size, store.audit().size()))
                .filteredOn(e -> e.type().equals(ConversationService.ERASED)).singleElement()
                .satisfies(e -> assertThat(e.refs()).containsEntry("scope", Long.toString(id)));
        assertThat(LocalStore.verifyAudit(tmp.resolve("home")).holds()).isTrue();
    }

    @Test
    void aCitedDocumentIsShownFromTheFileOrFromStoredPassagesAndAChangeIsNoticed() throws Exception {
        Path file = notes.resolve("bees.md");
        String full = Files.readString(file);
        int start = full.indexOf("Varroa");
        String passage = full.substring(start);
        CitedDocuments docs = new CitedDocuments(store, new TextExtractor());

        CitedDocuments.View fromFile = docs.open(file, start, full.length(), passage);
        assertThat(fromFile.origin()).isEqualTo(CitedDocuments.Origin.FILE);
        assertThat(fromFile.text()).isEqualTo(full);
        assertThat(fromFile.text().substring(fromFile.start(), fromFile.end())).isEqualTo(passage);
        assertThat(fromFile.changed()).isFalse();

        Files.writeString(file, "New first line.\n" + full);
        CitedDocuments.View changed = docs.open(file, start, full.length(), passage);
        assertThat(changed.changed()).isTrue();
        assertThat(changed.passageFound()).isTrue();
        assertThat(changed.text().substring(changed.start(), changed.end())).as("found again where it moved").isEqualTo(passage);

        Files.delete(file);
        CitedDocuments.View stored = docs.open(file, start, full.length(), passage);
        assertThat(stored.origin()).isEqualTo(CitedDocuments.Origin.STORED_PASSAGES);
        assertThat(stored.problem()).contains("no longer");
        assertThat(stored.text().substring(stored.start(), stored.end())).isEqualTo(passage);
        assertThat(stored.text()).contains("Hive notes.");
    }
}
