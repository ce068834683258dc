package org.sovereign.app.ui.assistant;

import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.sovereign.app.assistant.Answer;
import org.sovereign.app.assistant.AssistantService;
import org.sovereign.app.assistant.ChatModel;
import org.sovereign.app.library.Chunker;
import org.sovereign.app.library.Embedder;
import org.sovereign.app.library.LibraryService;
import org.sovereign.app.library.Passage;
import org.sovereign.app.library.TextExtractor;
import org.sovereign.app.packs.PackService;
import org.sovereign.app.packs.PackSummary;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.FinishReason;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentRefusedException;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Assistant: asks questions of the library, with a text-generation pack or with passages only, streaming the answer
 * and listing its citations; shows which consent covered the last answer, or why none did. Reads the unlocked store
 * from the session at each use and forgets the conversation when the vault is locked. Never touches controls.
 */
public final class AssistantViewModel {

    /** The default purpose asked under when no consent names another. */
    public static final String DEFAULT_PURPOSE = "private assistant";
    static final String NO_PACKS_HINT = "Install a text-generation pack on the Models screen for written answers.";
    static final String PASSAGES_ONLY_HINT = "No model: the answer lists the passages of your documents that match.";
    static final String NO_CONSENT = "No consent covers this yet";
    static final String WHERE_TO_LOOK = " Give or check consent on the Consent screen (Ctrl+4); the Library screen "
            + "(Ctrl+2) shows which documents are indexed.";

    /** A model choice: an installed text-generation pack, or none (passages only). */
    public record ModelChoice(String packId, String label) {
        public static final ModelChoice NONE = new ModelChoice(null, "No model: show passages only");

        public boolean isNone() {
            return packId == null;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /** One cited passage, numbered as the model saw it. */
    public record Citation(int number, String document, Path path, int start, int end, String text) {
        /** e.g. {@code [1] hives.md}. */
        public String label() {
            return "[" + number + "] " + document;
        }

        /** The passage on one line, shortened. */
        public String snippet() {
            String line = text.replace('\n', ' ').strip();
            return line.length() > 90 ? line.substring(0, 89) + "…" : line;
        }

        /** Where the passage is in its file. */
        public String location() {
            return path + ", characters " + start + "-" + end;
        }
    }

    /** One question and its answer as it is being written. */
    public static final class Exchange {
        private final String question;
        private final StringProperty answer = new SimpleStringProperty("");
        private final StringProperty status = new SimpleStringProperty("");
        private final StringProperty problem = new SimpleStringProperty("");
        private final BooleanProperty writing = new SimpleBooleanProperty(true);
        private final ObservableList<Citation> citations = FXCollections.observableArrayList();

        Exchange(String question) {
            this.question = question;
        }

        public String question() {
            return question;
        }

        public ReadOnlyStringProperty answerProperty() {
            return answer;
        }

        /** Figures or state of the answer, e.g. "Writing..." or "12 tokens, 40.1 tokens/s". */
        public ReadOnlyStringProperty statusProperty() {
            return status;
        }

        /** Why there is no answer (a refusal or a failure), in plain words; empty otherwise. */
        public ReadOnlyStringProperty problemProperty() {
            return problem;
        }

        public ReadOnlyBooleanProperty writingProperty() {
            return writing;
        }

        public ObservableList<Citation> citations() {
            return citations;
        }
    }

    private final VaultSessionState session;
    private final PackService packs;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;
    private final ModelHolder models;

    private final ObservableList<Exchange> exchanges = FXCollections.observableArrayList();
    private final ObservableList<ModelChoice> modelChoices = FXCollections.observableArrayList(ModelChoice.NONE);
    private final ObjectProperty<ModelChoice> model = new SimpleObjectProperty<>(ModelChoice.NONE);
    private final ObservableList<String> purposes = FXCollections.observableArrayList(DEFAULT_PURPOSE);
    private final StringProperty purpose = new SimpleStringProperty(DEFAULT_PURPOSE);
    private final StringProperty modelHint = new SimpleStringProperty(NO_PACKS_HINT);
    private final StringProperty question = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final StringProperty consentChip = new SimpleStringProperty("");
    private final BooleanProperty consentRefused = new SimpleBooleanProperty(false);
    private final ObjectProperty<Citation> selectedCitation = new SimpleObjectProperty<>();
    private final ObjectProperty<Answer> lastAnswer = new SimpleObjectProperty<>();
    private final IntegerProperty maxTokens = new SimpleIntegerProperty(256);
    private final BooleanBinding canSend;
    private boolean modelChosenByPerson;
    private long conversationId = -1;
    private CancellationSignal running;

    public AssistantViewModel(VaultSessionState session, PackService packs, BackgroundTasks tasks, DialogService dialogs) {
        this.session = session;
        this.packs = packs;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.models = new ModelHolder(packs::openChatModel, packs::openDefaultEmbedder);
        canSend = Bindings.createBooleanBinding(() -> !busy.get() && question.get() != null && !question.get().isBlank(),
                busy, question);
        model.addListener((o, old, now) -> updateHint());
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                stop();
                exchanges.clear(); // nothing of the conversation stays on screen once the vault is locked
                selectedCitation.set(null);
                consentChip.set("");
                consentRefused.set(false);
                lastAnswer.set(null);
                conversationId = -1;
                tasks.task("Unload model", p -> {
                    models.close();
                    return null;
                }).start();
            }
        });
    }

    /** Reloads the installed text-generation packs and the purposes of active consents. */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            return;
        }
        tasks.task("Load packs and purposes", p -> {
                    List<ModelChoice> choices = packs.list().stream()
                            .filter(s -> "text-generation".equals(s.kind()))
                            .map(AssistantViewModel::choice).toList();
                    Instant now = Instant.now();
                    Set<String> active = new LinkedHashSet<>();
                    for (ConsentHistory h : store.consent().all()) {
                        if (h.activeAt(now)) {
                            active.addAll(h.terms().purposes());
                        }
                    }
                    return new Loaded(choices, List.copyOf(active));
                })
                .onSuccess(this::show)
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The installed model packs could not be listed.", e))
                .start();
    }

    private record Loaded(List<ModelChoice> choices, List<String> purposes) {
    }

    private static ModelChoice choice(PackSummary s) {
        return new ModelChoice(s.id(), s.name() + " " + s.version());
    }

    private void show(Loaded loaded) {
        ModelChoice keep = model.get();
        modelChoices.setAll(loaded.choices());
        modelChoices.add(ModelChoice.NONE);
        if (modelChosenByPerson && modelChoices.contains(keep)) {
            model.set(keep);
        } else {
            model.set(modelChoices.get(0));
        }
        String keepPurpose = purpose.get();
        purposes.setAll(loaded.purposes().isEmpty() ? List.of(DEFAULT_PURPOSE) : loaded.purposes());
        purpose.set(purposes.contains(keepPurpose) ? keepPurpose
                : purposes.contains(DEFAULT_PURPOSE) ? DEFAULT_PURPOSE : purposes.get(0));
        updateHint();
    }

    /** The person picked a model (remembered across refreshes). */
    public void chooseModel(ModelChoice choice) {
        modelChosenByPerson = true;
        model.set(choice == null ? ModelChoice.NONE : choice);
    }

    private void updateHint() {
        boolean anyPack = modelChoices.stream().anyMatch(c -> !c.isNone());
        modelHint.set(!model.get().isNone() ? "" : anyPack ? PASSAGES_ONLY_HINT : NO_PACKS_HINT);
    }

    /** Sends the typed question. */
    public void send() {
        if (!canSend.get()) {
            return;
        }
        String q = question.get().strip();
        question.set("");
        ask(q);
    }

    /** Asks the question of {@code exchange} again, in the same conversation. */
    public void regenerate(Exchange exchange) {
        if (!busy.get() && exchanges.contains(exchange)) {
            ask(exchange.question());
        }
    }

    /** Stops the answer being written; the model ends within one step. */
    public void stop() {
        if (running != null) {
            running.cancel();
        }
    }

    /** Starts a new, empty conversation. */
    public void newConversation() {
        stop();
        exchanges.clear();
        selectedCitation.set(null);
        consentChip.set("");
        consentRefused.set(false);
        lastAnswer.set(null);
        conversationId = -1;
    }

    private void ask(String q) {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            return;
        }
        Exchange exchange = new Exchange(q);
        exchanges.add(exchange);
        ModelChoice choice = model.get();
        String askPurpose = purpose.get();
        CancellationSignal cancel = new CancellationSignal();
        running = cancel;
        busy.set(true);
        exchange.status.set(choice.isNone() ? "Searching your library..." : "Loading " + choice.label() + "...");
        TokenStream stream = new TokenStream(exchange);
        GenerationRequest request = GenerationRequest.greedy(Math.max(1, maxTokens.get()));
        long conversation = conversationId;
        tasks.task("Answer a question", p -> {
                    ChatModel chat = choice.isNone() ? null : models.chatModel(choice.packId());
                    if (chat != null) {
                        Platform.runLater(() -> exchange.status.set("Writing..."));
                    }
                    LibraryService library = new LibraryService(store, new TextExtractor(), Chunker.defaults(),
                            models.embedder().orElse(null));
                    synchronized (models) { // one generation at a time per loaded model
                        return new AssistantService(store, library).ask(q, askPurpose, 4, chat, conversation, request,
                                stream, cancel);
                    }
                })
                .onSuccess(answer -> finished(exchange, answer, askPurpose, cancel))
                .onError(ConsentRefusedException.class, e -> refused(exchange, e))
                .onError(ContextLimitExceededException.class, e -> failed(exchange, "The answer did not fit the model's "
                        + "context (" + e.contextLimit() + " tokens) and was not kept. Ask a shorter question, or start a "
                        + "new conversation."))
                .onError(Throwable.class, e -> {
                    failed(exchange, "No answer: something went wrong while answering (details in the log).");
                    if (session.isUnlocked()) {
                        dialogs.showError("Assistant", "The question could not be answered.", e);
                    }
                })
                .start();
    }

    private void finished(Exchange exchange, Answer answer, String askPurpose, CancellationSignal cancel) {
        done(cancel);
        if (!exchanges.contains(exchange)) {
            return; // a new conversation was started, or the vault locked, while it was written
        }
        exchange.answer.set(answer.text());
        exchange.writing.set(false);
        List<Passage> cites = answer.citations();
        for (int i = 0; i < cites.size(); i++) {
            Passage p = cites.get(i);
            exchange.citations.add(new Citation(i + 1, String.valueOf(p.document().getFileName()), p.document(),
                    p.start(), p.end(), p.text()));
        }
        String stats = "";
        if (answer.stats() != null) {
            stats = String.format(Locale.ROOT, "%d tokens, %.1f tokens/s, first token after %d ms",
                    answer.stats().tokenIds().length, answer.stats().tokensPerSecond(),
                    answer.stats().timeToFirstToken().toMillis());
            if (answer.stats().finishReason() == FinishReason.CANCELLED) {
                stats = "Stopped. " + stats;
            }
        }
        exchange.status.set(stats);
        conversationId = answer.conversationId();
        consentRefused.set(false);
        consentChip.set("none".equals(answer.consentId())
                ? "No document matched, so no consent was needed"
                : "Covered by consent " + answer.consentId() + " (" + askPurpose + ")");
        lastAnswer.set(answer);
    }

    private void refused(Exchange exchange, ConsentRefusedException e) {
        failed(exchange, e.getMessage() + WHERE_TO_LOOK);
        if (!exchanges.contains(exchange)) {
            return;
        }
        consentRefused.set(true);
        consentChip.set(NO_CONSENT);
    }

    private void failed(Exchange exchange, String why) {
        done(null);
        exchange.writing.set(false);
        exchange.status.set("");
        exchange.problem.set(why);
    }

    private void done(CancellationSignal cancel) {
        busy.set(false);
        if (cancel == null || running == cancel) {
            running = null;
        }
    }

    /** Collects deltas on the generating thread and hands them to the FX thread at most one batch at a time. */
    private static final class TokenStream implements TokenListener {
        private final Exchange exchange;
        private final StringBuilder pending = new StringBuilder();
        private final AtomicBoolean scheduled = new AtomicBoolean();

        TokenStream(Exchange exchange) {
            this.exchange = exchange;
        }

        @Override
        public void onToken(long tokenId, String textDelta) {
            if (textDelta.isEmpty()) {
                return;
            }
            synchronized (pending) {
                pending.append(textDelta);
            }
            if (scheduled.compareAndSet(false, true)) {
                Platform.runLater(this::drain);
            }
        }

        private void drain() {
            scheduled.set(false);
            String batch;
            synchronized (pending) {
                batch = pending.toString();
                pending.setLength(0);
            }
            if (!batch.isEmpty() && exchange.writing.get()) {
                exchange.answer.set(exchange.answer.get() + batch);
            }
        }
    }

    /** The loaded chat model and embedder, kept between questions; used and closed off the FX thread. */
    private static final class ModelHolder {
        private Function<String, ChatModel> open;
        private final java.util.function.Supplier<Optional<Embedder>> openEmbedder;
        private String packId;
        private ChatModel chat;
        private Optional<Embedder> embedder;

        ModelHolder(Function<String, ChatModel> open, java.util.function.Supplier<Optional<Embedder>> openEmbedder) {
            this.open = open;
            this.openEmbedder = openEmbedder;
        }

        synchronized ChatModel chatModel(String id) {
            if (chat != null && id.equals(packId)) {
                return chat;
            }
            closeChat();
            chat = open.apply(id);
            packId = id;
            return chat;
        }

        synchronized Optional<Embedder> embedder() {
            if (embedder == null) {
                try {
                    embedder = openEmbedder.get();
                } catch (RuntimeException e) {
                    embedder = Optional.empty(); // keyword search still works without it
                }
            }
            return embedder;
        }

        private void closeChat() {
            if (chat != null) {
                chat.close();
                chat = null;
                packId = null;
            }
        }

        synchronized void close() {
            closeChat();
            if (embedder != null) {
                embedder.ifPresent(Embedder::close);
                embedder = null;
            }
        }
    }

    /** Loads packs by id with {@code open} from now on (tests slow the model down to stop it midway). */
    void loadModelsWith(Function<String, ChatModel> open) {
        synchronized (models) {
            models.open = open;
        }
    }

    public ObservableList<Exchange> exchanges() {
        return exchanges;
    }

    public ObservableList<ModelChoice> modelChoices() {
        return modelChoices;
    }

    public ReadOnlyObjectProperty<ModelChoice> modelProperty() {
        return model;
    }

    public ObservableList<String> purposes() {
        return purposes;
    }

    /** The purpose questions are asked under; consent must name it. */
    public StringProperty purposeProperty() {
        return purpose;
    }

    /** A hint about the model choice; empty when a pack is chosen. */
    public ReadOnlyStringProperty modelHintProperty() {
        return modelHint;
    }

    public StringProperty questionProperty() {
        return question;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public BooleanBinding canSendProperty() {
        return canSend;
    }

    /** Which consent covered the last answer, or that none did. */
    public ReadOnlyStringProperty consentChipProperty() {
        return consentChip;
    }

    public ReadOnlyBooleanProperty consentRefusedProperty() {
        return consentRefused;
    }

    /** The citation whose passage is shown beside the conversation, or {@code null}. */
    public ObjectProperty<Citation> selectedCitationProperty() {
        return selectedCitation;
    }

    /** The last answer the assistant gave (as stored and audited). */
    public ReadOnlyObjectProperty<Answer> lastAnswerProperty() {
        return lastAnswer;
    }

    /** Longest answer in tokens. */
    public IntegerProperty maxTokensProperty() {
        return maxTokens;
    }
}
