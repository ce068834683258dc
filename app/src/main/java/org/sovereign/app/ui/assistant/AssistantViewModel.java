package org.sovereign.app.ui.assistant;

import org.sovereign.app.ui.consent.ConsentWords;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.assistant.Answer;
import org.sovereign.core.assistant.AskListener;
import org.sovereign.core.assistant.AskQuestion;
import org.sovereign.core.assistant.AskRequest;
import org.sovereign.core.assistant.AssistantService;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.assistant.ConversationService.StoredExchange;
import org.sovereign.core.assistant.ConversationService.Summary;
import org.sovereign.core.assistant.PromptBudget;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.CitedDocuments;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.core.packs.PackSummary;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.FinishReason;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentRefusedException;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Assistant: asks questions of the library, with a text-generation pack or with passages only, streaming the answer
 * and listing its citations; shows which consent covered the last answer, or why none did. Reads the unlocked store
 * from the session at each use and forgets the conversation when the vault is locked. Never touches controls.
 */
public final class AssistantViewModel {

    /** The default purpose asked under when no consent names another. */
    public static final String DEFAULT_PURPOSE = "private assistant";
    static final String NO_PACKS_HINT = "No chat model is installed, so answers list the passages of your documents. "
            + "To get one, open Models (Ctrl+3) and choose Import Hugging Face folder; that screen says which models "
            + "work and where to download them.";
    static final String PASSAGES_ONLY_HINT = "No model: the answer lists the passages of your documents that match.";
    static final String NO_CONSENT = "No consent covers this yet";
    static final String NO_LONGER = "No consent covers this any more";
    static final String NO_CONVERSATIONS = "None yet: your first question starts one.";
    static final String LOADING_CONVERSATIONS = "Loading your conversations\u2026";
    static final String EMPTY_LIBRARY = "Your library is empty, so there is nothing to answer from yet. Add a folder "
            + "on the Library screen (Ctrl+2), then ask again.";
    static final String WHERE_TO_LOOK = " Give or check consent on the Consent screen (Ctrl+4); the Library screen "
            + "(Ctrl+2) shows which documents are indexed.";

    /** A model choice: an installed text-generation pack, or none (passages only). */
    public record ModelChoice(String packId, String label) {
        public static final ModelChoice NONE = new ModelChoice(null, "No model: passages only");

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
        /** A citation of {@code path}; its {@link #document} is the file name as shown, control characters escaped. */
        static Citation of(int number, Path path, int start, int end, String text) {
            return new Citation(number, SafeText.forDisplay(path.getFileName() == null ? path : path.getFileName()),
                    path, start, end, text);
        }

        /** e.g. {@code [1] hives.md}. */
        public String label() {
            return "[" + number + "] " + document;
        }

        /** The passage on one line, shortened. */
        public String snippet() {
            String line = text.replace('\n', ' ').strip();
            return line.length() > 90 ? line.substring(0, 89) + "…" : line;
        }

        /** The whole passage as a person reads it (Markdown heading marks left out). */
        public String passage() {
            return Passage.shownText(path, text).strip();
        }

        /** Where the passage is in its file. */
        public String location() {
            return SafeText.forDisplay(path) + ", characters " + start + "-" + end;
        }
    }

    /** One question and its answer as it is being written. */
    public static final class Exchange {
        private final String question;
        private final StringProperty answer = new SimpleStringProperty("");
        private final StringProperty status = new SimpleStringProperty("");
        private final StringProperty problem = new SimpleStringProperty("");
        private final StringProperty note = new SimpleStringProperty("");
        private final BooleanProperty writing = new SimpleBooleanProperty(true);
        private final BooleanProperty passagesOnly = new SimpleBooleanProperty(false);
        private final ObservableList<Citation> citations = FXCollections.observableArrayList();
        private long itemId = -1; // the stored exchange in the vault, once it is stored
        private String fullText = "";

        /**
         * Shows a finished answer. An answer of retrieved passages only shows its first line here and each passage
         * once, in full, as its citation (not again inside the answer); copying still gives the whole text.
         */
        private void answered(String text, boolean generated, boolean hasCitations) {
            fullText = text;
            boolean passages = !generated && hasCitations && text.startsWith(AssistantService.RETRIEVED_LEAD);
            passagesOnly.set(passages);
            answer.set(passages ? AssistantService.RETRIEVED_LEAD.strip() : text);
        }

        Exchange(String question) {
            this.question = question;
        }

        static Exchange stored(StoredExchange x) {
            Exchange e = new Exchange(x.question());
            e.itemId = x.itemId();
            if (!x.generated() && x.citations().isEmpty() && x.answer().equals(AskQuestion.REFUSED_ANSWER)) {
                e.problem.set(x.answer()); // a refused question, kept where it was asked
            } else {
                e.answered(x.answer(), x.generated(), !x.citations().isEmpty());
            }
            e.note.set(PromptBudget.historyNote(x.earlierLeftOut(), x.earlierWithheld()));
            e.writing.set(false);
            for (ConversationService.StoredCitation c : x.citations()) {
                e.citations.add(Citation.of(c.number(), c.path(), c.start(), c.end(), c.text()));
            }
            return e;
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

        /**
         * A plain note on how the answer was made when it matters, e.g. that earlier messages were left out to fit
         * the model's context; empty otherwise.
         */
        public ReadOnlyStringProperty noteProperty() {
            return note;
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

        /** True when the answer is retrieved passages only: the citations then show each passage in full. */
        public ReadOnlyBooleanProperty passagesOnlyProperty() {
            return passagesOnly;
        }

        /** The whole answer as text, for copying (with an answer of passages only, the passages too). */
        public String copyText() {
            return fullText.isEmpty() ? answer.get() : fullText;
        }
    }

    private final VaultSessionState session;
    private final Packs packs;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;

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
    private final StringProperty openFileProblem = new SimpleStringProperty("");
    /** True from an unlock until the stored conversations are listed, so an empty list is not taken for "none". */
    private final BooleanProperty conversationsLoading = new SimpleBooleanProperty(false);
    private final ObjectProperty<Answer> lastAnswer = new SimpleObjectProperty<>();
    private final IntegerProperty maxTokens = new SimpleIntegerProperty(256);
    private final ObservableList<Summary> conversations = FXCollections.observableArrayList();
    private final LongProperty currentConversation = new SimpleLongProperty(-1);
    private final StringProperty title = new SimpleStringProperty("");
    private final StringProperty systemPrompt = new SimpleStringProperty("");
    private final StringProperty conversationMessage = new SimpleStringProperty("");
    private final BooleanProperty confirmingDelete = new SimpleBooleanProperty(false);
    private final ObjectProperty<Exchange> editing = new SimpleObjectProperty<>();
    private final ObjectProperty<DocumentView> document = new SimpleObjectProperty<>();
    private Consumer<Path> fileOpener = AssistantViewModel::openWithDesktop;
    private final BooleanBinding canSend;
    private boolean modelChosenByPerson;
    private long conversationId = -1;
    private CancellationSignal running;
    /** The consent that covered the last answer, while the chip says so; watched for withdrawal and expiry. */
    private ConsentHistory covering;
    private final PauseTransition coveringEnds = new PauseTransition();

    /** Bound by the window to the library's search preparation line (see {@link #searchPreparationProperty()}). */
    private final StringProperty searchPreparation = new SimpleStringProperty("");

    public AssistantViewModel(VaultSessionState session, Packs packs, BackgroundTasks tasks, DialogService dialogs) {
        this.session = session;
        this.packs = packs;
        this.tasks = tasks;
        this.dialogs = dialogs;
        canSend = Bindings.createBooleanBinding(() -> !busy.get() && question.get() != null && !question.get().isBlank(),
                busy, question);
        model.addListener((o, old, now) -> updateHint());
        selectedCitation.addListener((o, old, now) -> {
            openFileProblem.set("");
            loadDocument(now);
        });
        coveringEnds.setOnFinished(e -> recheckCovering());
        // a withdrawal on another screen shows on the chip at once, not at the next question
        session.consentChangesProperty().addListener((o, old, now) -> recheckCovering());
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                stop();
                watchCovering(null);
                exchanges.clear(); // nothing of the conversation stays on screen once the vault is locked
                selectedCitation.set(null);
                consentChip.set("");
                consentRefused.set(false);
                lastAnswer.set(null);
                conversationId = -1;
                conversations.clear();
                conversationsLoading.set(false);
                forgetConversationSettings();
            } else {
                reloadConversations(); // at once on unlock, not only when the screen is next shown
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
                    List<ModelChoice> choices = packs.catalog().list().stream()
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
        reloadConversations();
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
        long id = conversationId;
        LocalStore store = session.unlockedProperty().get();
        if (id >= 0 && store != null) {
            String packId = model.get().isNone() ? "" : model.get().packId();
            tasks.task("Remember the conversation's model", p -> {
                        new ConversationService(store).setPack(id, packId);
                        return null;
                    })
                    .onError(Throwable.class, e -> conversationMessage.set("The model choice could not be saved: " + e.getMessage()))
                    .start();
        }
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
        Exchange edited = editing.get();
        editing.set(null);
        if (edited != null && exchanges.contains(edited)) {
            // edit-and-resend: the edited exchange and every later one are removed, then the edited question is asked
            int at = exchanges.indexOf(edited);
            long fromItem = exchanges.subList(at, exchanges.size()).stream().mapToLong(x -> x.itemId).filter(i -> i >= 0)
                    .min().orElse(-1);
            exchanges.remove(at, exchanges.size());
            selectedCitation.set(null);
            ask(q, fromItem);
        } else {
            ask(q);
        }
    }

    /**
     * Starts editing a previous question: its text goes into the input; sending then replaces that exchange and
     * removes the ones after it (they were answers in a conversation that no longer happened that way).
     */
    public void edit(Exchange exchange) {
        if (busy.get() || !exchanges.contains(exchange)) {
            return;
        }
        editing.set(exchange);
        question.set(exchange.question());
    }

    /** Leaves editing without changing anything. */
    public void cancelEdit() {
        if (editing.get() != null) {
            editing.set(null);
            question.set("");
        }
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
        watchCovering(null);
        consentChip.set("");
        consentRefused.set(false);
        lastAnswer.set(null);
        conversationId = -1;
        forgetConversationSettings();
    }

    /** Watches {@code consent} (or nothing) as the one the chip names: its expiry is timed, its withdrawal heard. */
    private void watchCovering(ConsentHistory consent) {
        covering = consent;
        coveringEnds.stop();
        if (consent != null) {
            long millis = Duration.between(Instant.now(), consent.terms().validUntil()).toMillis();
            if (millis > 0 && millis < Duration.ofDays(30).toMillis()) {
                coveringEnds.setDuration(javafx.util.Duration.millis(millis + 500));
                coveringEnds.playFromStart();
            }
        }
    }

    /** If the consent named on the chip was withdrawn or has expired, the chip says so now. */
    private void recheckCovering() {
        LocalStore store = session.unlockedProperty().get();
        if (covering == null || store == null) {
            return;
        }
        ConsentHistory now;
        try {
            now = store.consent().history(covering.recordId());
        } catch (RuntimeException e) {
            return; // the store is closing: the chip is cleared with the lock
        }
        Instant at = Instant.now();
        if (!now.activeAt(at)) {
            watchCovering(null);
            consentRefused.set(true);
            consentChip.set(ConsentWords.noLongerCovered(now, at));
        }
    }

    private void forgetConversationSettings() {
        currentConversation.set(-1);
        title.set("");
        systemPrompt.set("");
        conversationMessage.set("");
        confirmingDelete.set(false);
        editing.set(null);
    }

    private void ask(String q) {
        ask(q, -1);
    }

    private void ask(String q, long removeFromItem) {
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
        long known = conversationId;
        String instructions = systemPrompt.get();
        long[] started = {-1};
        ConsentHistory[] coveredBy = {null};
        boolean[] emptyLibrary = {false};
        UnlockedWorkspace workspace = session.workspace();
        AskRequest ask = new AskRequest(q, askPurpose, 4, choice.isNone() ? null : choice.packId(), known, instructions,
                request, removeFromItem);
        tasks.task("Answer a question", p -> {
                    AskQuestion assistant = workspace.assistant();
                    Answer answer = assistant.ask(ask, new AskListener() {
                        @Override
                        public void onToken(long tokenId, String textDelta) {
                            stream.onToken(tokenId, textDelta);
                        }

                        @Override
                        public void conversationStarted(long conversationId) {
                            started[0] = conversationId;
                            if (choice.isNone()) { // chosen on this screen: passages only, remembered as such
                                workspace.conversations().setPack(conversationId, "");
                            }
                        }

                        @Override
                        public void writing() {
                            Platform.runLater(() -> exchange.status.set("Writing..."));
                        }
                    }, cancel);
                    exchange.itemId = assistant.storedExchange(answer);
                    emptyLibrary[0] = answer.citations().isEmpty() && workspace.library().sources().isEmpty();
                    if (!"none".equals(answer.consentId())) {
                        coveredBy[0] = store.consent().history(answer.consentId());
                    }
                    return answer;
                })
                .onSuccess(answer -> {
                    finished(exchange, answer, emptyLibrary[0], coveredBy[0], cancel);
                    reloadConversations();
                })
                .onError(ConsentRefusedException.class, e -> {
                    adopt(started[0], exchange);
                    refused(exchange, askPurpose, e);
                })
                .onError(ContextLimitExceededException.class, e -> {
                    adopt(started[0], exchange);
                    failed(exchange, PromptBudget.explain(e));
                })
                .onError(Throwable.class, e -> {
                    adopt(started[0], exchange);
                    failed(exchange, "No answer: something went wrong while answering (details in the log).");
                    if (session.isUnlocked()) {
                        dialogs.showError("Assistant", "The question could not be answered.", e);
                    }
                })
                .start();
    }

    private void finished(Exchange exchange, Answer answer, boolean emptyLibrary, ConsentHistory coveredBy,
                          CancellationSignal cancel) {
        done(cancel);
        if (!exchanges.contains(exchange)) {
            return; // a new conversation was started, or the vault locked, while it was written
        }
        exchange.answered(answer.text(), answer.generated(), !answer.citations().isEmpty());
        exchange.note.set(PromptBudget.historyNote(answer.earlierLeftOut(), answer.earlierWithheld()));
        if (emptyLibrary) { // nothing indexed yet: say where to add documents rather than "no good match"
            if (answer.generated()) {
                exchange.note.set(EMPTY_LIBRARY);
            } else {
                exchange.answer.set(EMPTY_LIBRARY);
            }
        }
        exchange.writing.set(false);
        List<Passage> cites = answer.citations();
        for (int i = 0; i < cites.size(); i++) {
            Passage p = cites.get(i);
            exchange.citations.add(Citation.of(i + 1, p.document(), p.start(), p.end(), p.text()));
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
        currentConversation.set(conversationId);
        consentRefused.set(false);
        watchCovering(coveredBy);
        consentChip.set(coveredBy == null ? "No document matched, so no consent was needed" : ConsentWords.covered(coveredBy));
        lastAnswer.set(answer);
    }

    /** A conversation started for a question that was then refused or failed still exists: keep showing it. */
    private void adopt(long started, Exchange exchange) {
        if (started >= 0 && exchanges.contains(exchange) && conversationId < 0) {
            conversationId = started;
            currentConversation.set(started);
            reloadConversations();
        }
    }

    private void refused(Exchange exchange, String askPurpose, ConsentRefusedException e) {
        failed(exchange, ConsentWords.refused("answer", askPurpose, e) + WHERE_TO_LOOK);
        if (!exchanges.contains(exchange)) {
            return;
        }
        watchCovering(null);
        consentRefused.set(true);
        boolean ended = e.missing().contains(ConsentRefusedException.Missing.WITHDRAWN)
                || e.missing().contains(ConsentRefusedException.Missing.EXPIRED);
        consentChip.set(ended ? NO_LONGER : NO_CONSENT);
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

    // ---- conversations ----

    /** Reloads the list of stored conversations (titles are decrypted off the FX thread). */
    public void reloadConversations() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            return;
        }
        if (conversations.isEmpty()) {
            conversationsLoading.set(true);
        }
        tasks.task("List conversations", p -> new ConversationService(store).list())
                .andFinally(() -> conversationsLoading.set(false))
                .onSuccess(list -> {
                    if (session.isUnlocked()) {
                        conversations.setAll(list);
                        list.stream().filter(c -> c.id() == conversationId).findFirst()
                                .ifPresent(c -> title.set(c.title()));
                    }
                })
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "Your conversations could not be listed.", e))
                .start();
    }

    /** Opens a stored conversation: its exchanges, its instructions and its model choice. */
    public void openConversation(Summary summary) {
        LocalStore store = session.unlockedProperty().get();
        if (store == null || summary == null || (summary.id() == conversationId && !exchanges.isEmpty()) || busy.get()) {
            return;
        }
        long id = summary.id();
        record Opened(ConversationService.Settings settings, List<StoredExchange> exchanges) {
        }
        tasks.task("Open a conversation", p -> {
                    ConversationService service = new ConversationService(store);
                    return new Opened(service.settings(id), service.exchanges(id));
                })
                .onSuccess(opened -> {
                    newConversation();
                    conversationId = id;
                    currentConversation.set(id);
                    title.set(summary.title());
                    systemPrompt.set(opened.settings().systemPrompt());
                    opened.exchanges().forEach(x -> exchanges.add(Exchange.stored(x)));
                    String pack = opened.settings().packId();
                    if (pack != null) {
                        Optional<ModelChoice> found = pack.isEmpty() ? Optional.of(ModelChoice.NONE)
                                : modelChoices.stream().filter(c -> pack.equals(c.packId())).findFirst();
                        if (found.isPresent()) {
                            modelChosenByPerson = true;
                            model.set(found.get());
                        } else {
                            conversationMessage.set("This conversation used the pack " + pack + ", which is not installed "
                                    + "now; it continues with " + model.get().label() + ".");
                        }
                    }
                })
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The conversation could not be opened.", e))
                .start();
    }

    /** Renames the open conversation to the text of {@link #titleProperty()}. */
    public void rename() {
        LocalStore store = session.unlockedProperty().get();
        long id = conversationId;
        String newTitle = title.get() == null ? "" : title.get().strip();
        if (store == null) {
            return;
        }
        if (id < 0) {
            conversationMessage.set("Ask a first question to start the conversation; then it can be renamed.");
            return;
        }
        if (newTitle.isEmpty()) {
            conversationMessage.set("A conversation needs a title.");
            return;
        }
        tasks.task("Rename a conversation", p -> {
                    new ConversationService(store).rename(id, newTitle);
                    return null;
                })
                .onSuccess(v -> {
                    conversationMessage.set("Renamed.");
                    reloadConversations();
                })
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The conversation could not be renamed.", e))
                .start();
    }

    /**
     * Saves the text of {@link #systemPromptProperty()} as the open conversation's instructions (empty = the default).
     * Before the first question there is no conversation yet: the instructions are then used when it starts.
     */
    public void saveSystemPrompt() {
        LocalStore store = session.unlockedProperty().get();
        long id = conversationId;
        String prompt = systemPrompt.get() == null ? "" : systemPrompt.get().strip();
        if (store == null) {
            return;
        }
        if (id < 0) {
            conversationMessage.set("These instructions will be used from the first question of this conversation.");
            return;
        }
        tasks.task("Save the conversation's instructions", p -> {
                    new ConversationService(store).setSystemPrompt(id, prompt);
                    return null;
                })
                .onSuccess(v -> conversationMessage.set(prompt.isEmpty() ? "Saved: the default instructions are used."
                        : "Saved: the next answers follow these instructions."))
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The instructions could not be saved.", e))
                .start();
    }

    /** Goes back to the default instructions for the open conversation. */
    public void useDefaultSystemPrompt() {
        systemPrompt.set("");
        saveSystemPrompt();
    }

    /** Asks to confirm deleting the open conversation. */
    public void askDelete() {
        if (conversationId >= 0 && !busy.get()) {
            confirmingDelete.set(true);
        }
    }

    public void cancelDelete() {
        confirmingDelete.set(false);
    }

    /** Deletes the open conversation for good: its key is erased, so nothing of it can be read again. Audited. */
    public void confirmDelete() {
        LocalStore store = session.unlockedProperty().get();
        long id = conversationId;
        confirmingDelete.set(false);
        if (store == null || id < 0) {
            return;
        }
        tasks.task("Delete a conversation", p -> {
                    new ConversationService(store).delete(id);
                    return null;
                })
                .onSuccess(v -> {
                    if (conversationId == id) {
                        newConversation();
                    }
                    conversationMessage.set("The conversation was deleted; its key is erased.");
                    reloadConversations();
                })
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The conversation could not be deleted.", e))
                .start();
    }

    // ---- the cited document ----

    /**
     * A cited document as shown: the text around the passage (the whole document unless it is very long), the
     * passage itself, and plain notes on where the text came from.
     */
    public record DocumentView(Citation citation, String before, String passage, String after, String origin,
                               String warning, Path file, boolean fileExists) {
    }

    /** Longest part of a document shown on each side of the passage. */
    static final int CONTEXT_CHARS = 20_000;

    private void loadDocument(Citation citation) {
        document.set(null);
        LocalStore store = session.unlockedProperty().get();
        if (citation == null || store == null) {
            return;
        }
        tasks.task("Open the cited document", p -> documentView(citation,
                        new CitedDocuments(store, new TextExtractor()).open(citation.path(), citation.start(), citation.end(), citation.text())))
                .onSuccess(view -> {
                    if (citation.equals(selectedCitation.get())) {
                        document.set(view);
                    }
                })
                .onError(Throwable.class, e -> dialogs.showError("Assistant", "The cited document could not be shown.", e))
                .start();
    }

    static DocumentView documentView(Citation citation, CitedDocuments.View v) {
        String text = v.text();
        int from = Math.max(0, v.start() - CONTEXT_CHARS);
        int to = Math.min(text.length(), v.end() + CONTEXT_CHARS);
        String before = (from > 0 ? "[…]\n" : "") + text.substring(from, v.start());
        String after = text.substring(v.end(), to) + (to < text.length() ? "\n[…]" : "");
        String origin = v.origin() == CitedDocuments.Origin.FILE
                ? "Text read again from the file on disk."
                : v.indexed() ? "The file could not be read (" + v.problem() + "), so this is the text rebuilt from the "
                + "encrypted passages stored in your library."
                : "The file could not be read (" + v.problem() + ") and the library no longer holds it: only the cited "
                + "passage is shown.";
        String warning = "";
        if (v.changed()) {
            warning = v.passageFound()
                    ? "The file changed since it was indexed; the passage was found again in the new version."
                    : "The file changed since it was indexed and the cited passage is no longer in it; the highlight "
                    + "shows where it used to be.";
        } else if (!v.passageFound()) {
            warning = "The cited passage could not be found in this text; the highlight shows where it was.";
        }
        return new DocumentView(citation, before, text.substring(v.start(), v.end()), after, origin, warning, v.path(),
                v.origin() == CitedDocuments.Origin.FILE);
    }

    /** Hands the cited file to the operating system's own application for it. */
    public void openCitedFile() {
        Citation c = selectedCitation.get();
        if (c == null) {
            return;
        }
        Path file = c.path();
        Consumer<Path> opener = fileOpener;
        openFileProblem.set("");
        tasks.task("Open the file", p -> {
                    opener.accept(file);
                    return null;
                })
                .onError(Throwable.class, e -> {
                    if (c.equals(selectedCitation.get())) {
                        openFileProblem.set(openFileProblem(file, e));
                    }
                })
                .start();
    }

    /**
     * Why a file could not be opened, in plain words beside the button: the reason when it is one of ours, never the
     * operating system's own message (which names the file as a URI); then where the file is.
     */
    static String openFileProblem(Path file, Throwable e) {
        String reason = e instanceof CannotOpenFile plain ? plain.getMessage()
                : "no application on this computer would open it";
        return "The file could not be opened: " + reason + ". It is at " + SafeText.forDisplay(file) + ".";
    }

    /** A reason a file cannot be opened from here, worded for the person. */
    static final class CannotOpenFile extends RuntimeException {
        CannotOpenFile(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private static void openWithDesktop(Path file) {
        if (!Files.exists(file)) {
            throw new CannotOpenFile("it is no longer there", null);
        }
        if (GraphicsEnvironment.isHeadless() || !Desktop.isDesktopSupported()
                || !Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
            throw new CannotOpenFile("this system offers no way to open files from here", null);
        }
        try {
            Desktop.getDesktop().open(file.toFile());
        } catch (IOException e) {
            throw new CannotOpenFile("no application on this computer is set up to open this kind of file", e);
        }
    }

    /** Why "Open file" failed for the shown citation, beside the button; empty otherwise. */
    public ReadOnlyStringProperty openFileProblemProperty() {
        return openFileProblem;
    }

    /** Opens files with {@code opener} instead of the operating system (tests). */
    void openFilesWith(Consumer<Path> opener) {
        fileOpener = opener;
    }

    public ObservableList<Summary> conversations() {
        return conversations;
    }

    /** True while the stored conversations are being listed and none is shown yet. */
    public ReadOnlyBooleanProperty conversationsLoadingProperty() {
        return conversationsLoading;
    }

    /** The open conversation's id, or -1 before its first question. */
    public ReadOnlyLongProperty currentConversationProperty() {
        return currentConversation;
    }

    /** The open conversation's title, editable for {@link #rename()}. */
    public StringProperty titleProperty() {
        return title;
    }

    /** The open conversation's own instructions for the model; empty = the default. */
    public StringProperty systemPromptProperty() {
        return systemPrompt;
    }

    /** A plain note about the last conversation action (saved, renamed, deleted, or why not). */
    public ReadOnlyStringProperty conversationMessageProperty() {
        return conversationMessage;
    }

    public ReadOnlyBooleanProperty confirmingDeleteProperty() {
        return confirmingDelete;
    }

    /** The exchange whose question is being edited, or {@code null}. */
    public ReadOnlyObjectProperty<Exchange> editingProperty() {
        return editing;
    }

    /** The cited document shown at its passage, or {@code null} while none is (or it is still loading). */
    public ReadOnlyObjectProperty<DocumentView> documentProperty() {
        return document;
    }

    /** Loads packs by id with {@code open} from now on (tests slow the model down to stop it midway). */
    void loadModelsWith(Function<String, ChatModel> open) {
        session.workspace().models().openChatModelsWith(open);
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

    /**
     * "Preparing search over your library... 40 %" while the library's vectors load after an unlock (bound by the
     * window); empty otherwise. A question asked meanwhile waits for the load before its library search.
     */
    public StringProperty searchPreparationProperty() {
        return searchPreparation;
    }
}
