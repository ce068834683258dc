package org.sovereign.core.assistant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.core.packs.InferenceAudit;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Answers questions from the person's library: consent gate, retrieval, the model, then an audit entry. Nothing is
 * generated unless a consent allows {@code generate} with this pack for every retrieved document; the consent is
 * checked again after generation, so an answer finished after a withdrawal is discarded, not stored.
 *
 * <p>In an existing conversation the model also gets the earlier exchanges (the person's own conversation, so no
 * consent beyond the current question's documents and the pack), the oldest left out first when they do not fit its
 * context ({@link PromptBudget}). The retrieved passages are given for the current question only.
 */
public final class AssistantService {

    static final String CONVERSATION = "conversation";

    private final LocalStore store;
    private final LibraryService library;
    private final ConversationService conversations;

    public AssistantService(LocalStore store, LibraryService library) {
        this(store, library, new ConversationService(store));
    }

    public AssistantService(LocalStore store, LibraryService library, ConversationService conversations) {
        this.store = store;
        this.library = library;
        this.conversations = conversations;
    }

    /**
     * @param model          a loaded text-generation pack, or {@code null} to answer with retrieved passages only
     * @param conversationId an existing conversation, or a negative number for a new one
     * @throws ConsentRefusedException if no consent covers the documents (and pack) involved
     */
    public Answer ask(String question, String purpose, int passages, ChatModel model, long conversationId,
                      GenerationRequest request, TokenListener listener, CancellationSignal cancel) {
        return ask(question, purpose, passages, model, conversationId, null, request, listener, cancel);
    }

    /**
     * As {@link #ask(String, String, int, ChatModel, long, GenerationRequest, TokenListener, CancellationSignal)}, with
     * the conversation's own instructions for the model.
     *
     * @param instructions the conversation's system prompt, or {@code null}/blank for {@link #DEFAULT_INSTRUCTIONS};
     *                     the numbered retrieved passages are always appended after it
     */
    public Answer ask(String question, String purpose, int passages, ChatModel model, long conversationId,
                      String instructions, GenerationRequest request, TokenListener listener, CancellationSignal cancel) {
        return ask(question, purpose, passages, model, conversationId, instructions, request, listener, cancel, Map.of());
    }

    /**
     * As above, with {@code extraRefs} (ids only, e.g. the local API client) added to the answer's audit entry; they
     * never replace the entries this service writes.
     */
    public Answer ask(String question, String purpose, int passages, ChatModel model, long conversationId,
                      String instructions, GenerationRequest request, TokenListener listener, CancellationSignal cancel,
                      Map<String, String> extraRefs) {
        List<Passage> found = library.search(question, passages);
        List<Path> documents = found.stream().map(Passage::document).distinct().toList();
        Operation op = model == null ? Operation.INDEX : Operation.GENERATE;
        String pack = model == null ? null : model.packDigest();
        // with no documents found there is nothing to consent to for retrieval; generation always needs a consent
        ConsentTerms consent = documents.isEmpty() && model == null ? null
                : store.consent().require(new ConsentRequest(purpose, op, documents, pack));

        String text;
        GenerationResult stats = null;
        List<Passage> used = found;
        PromptBudget.Plan plan = null;
        int withheld = 0;
        if (model == null) {
            text = retrievedOnly(found);
            listener.onToken(-1, text);
        } else {
            List<ConversationService.StoredExchange> earlier = conversationId < 0 ? List.of()
                    : conversations.exchanges(conversationId);
            List<ConversationService.StoredExchange> allowed = stillCovered(earlier, purpose, pack);
            List<PromptBudget.Turn> history = PromptBudget.history(allowed);
            withheld = PromptBudget.history(earlier).size() - history.size();
            plan = prompt(model, question, instructions, found, history, request);
            used = List.copyOf(found.subList(0, plan.passages()));
            stats = model.chat(plan.messages(), request, listener, cancel);
            text = stats.text();
            // the consent may have been withdrawn while the model was writing: then nothing is stored
            store.consent().require(new ConsentRequest(purpose, op, documents, pack));
        }

        long conversation = conversationId >= 0 ? conversationId
                : conversations.create(new ConversationService.Settings("", "", null));
        conversations.addExchange(conversation, new ExchangeRecord(question, text, model != null,
                plan == null ? 0 : plan.turnsLeftOut(), withheld, used.stream()
                .map(p -> new ExchangeRecord.Citation(p.document().toString(), p.start(), p.end(), p.text())).toList()));

        String consentId = consent == null ? "none" : consent.recordId();
        Map<String, String> refs = new HashMap<>(extraRefs);
        refs.putAll(Map.of("consent", consentId,
                "packDigest", pack == null ? "none (retrieved passages only)" : pack,
                "passages", Integer.toString(used.size()),
                "documents", Long.toString(used.stream().map(Passage::document).distinct().count()),
                "conversation", Long.toString(conversation)));
        // the versions of the documents the answer drew on, as their ingest entries committed them
        String versions = used.stream().map(Passage::documentVersion).filter(v -> !v.isEmpty()).distinct().sorted()
                .collect(Collectors.joining(","));
        refs.put("documentVersions", versions.isEmpty() ? "none" : versions);
        if (plan != null) { // counts only: the earlier exchanges' text stays in the conversation, never in the log
            refs.put("earlierExchanges", Integer.toString(plan.turnsSent()));
        }
        AuditEntry entry = InferenceAudit.record(store, refs, question, text);
        return new Answer(text, used, model != null, consentId, entry.sequence(), conversation, stats,
                plan == null ? 0 : plan.turnsSent(), plan == null ? 0 : plan.turnsLeftOut(), withheld);
    }

    /**
     * The messages for the model: the system message with the passages, the conversation's earlier exchanges (as
     * stored now, so after an edit-and-resend only those before the edited one), then the question; trimmed by
     * {@link PromptBudget} to the model's context, leaving {@code request.maxNewTokens()} for the answer.
     */
    private PromptBudget.Plan prompt(ChatModel model, String question, String instructions, List<Passage> found,
                                     List<PromptBudget.Turn> history, GenerationRequest request) {
        IntFunction<String> system = k -> systemPrompt(instructions, found.subList(0, k));
        PromptBudget budget = PromptBudget.of(model);
        return budget == null ? PromptBudget.untrimmed(system, found.size(), history, question)
                : budget.plan(system, found.size(), history, question, request.maxNewTokens());
    }

    /**
     * The earlier exchanges that may go to the model again: an answer drawn from documents is generation over those
     * documents, so it is re-sent only while a consent still covers them for generation with this pack (a withdrawn or
     * expired consent holds back every exchange that cited its documents). Exchanges citing nothing are the person's
     * own words and stay.
     */
    private List<ConversationService.StoredExchange> stillCovered(List<ConversationService.StoredExchange> stored,
                                                                   String purpose, String pack) {
        List<ConversationService.StoredExchange> kept = new ArrayList<>();
        for (ConversationService.StoredExchange x : stored) {
            List<Path> cited = x.citations().stream().map(ConversationService.StoredCitation::path).distinct().toList();
            if (!cited.isEmpty()) {
                try {
                    store.consent().require(new ConsentRequest(purpose, Operation.GENERATE, cited, pack));
                } catch (ConsentRefusedException e) {
                    continue;
                }
            }
            kept.add(x);
        }
        return kept;
    }

    /** The answer shown when no text-generation model is used: the passages themselves, labelled as such. */
    static String retrievedOnly(List<Passage> found) {
        if (found.isEmpty()) {
            return "No good match: nothing in your library is close to this question. (No text-generation model was "
                    + "used, so the assistant can only show passages from your documents.)";
        }
        StringBuilder sb = new StringBuilder(RETRIEVED_LEAD);
        for (int i = 0; i < found.size(); i++) {
            Passage p = found.get(i);
            sb.append("\n[").append(i + 1).append("] ").append(SafeText.forDisplay(p.document().getFileName()))
                    .append(": ").append(p.shownText().replace('\n', ' ').strip()).append('\n');
        }
        return sb.toString();
    }

    /** The first line of an answer made of retrieved passages only. */
    public static final String RETRIEVED_LEAD = "Retrieved passages (no text-generation model was used; choose or "
            + "install a text-generation pack for written answers):\n";

    /** The instructions a conversation starts with, before the retrieved passages are appended. */
    public static final String DEFAULT_INSTRUCTIONS = "Answer the question using only the numbered passages below, "
            + "and cite them like [1]. If they do not contain the answer, say so.";

    static String systemPrompt(List<Passage> found) {
        return systemPrompt(null, found);
    }

    static String systemPrompt(String instructions, List<Passage> found) {
        String head = instructions == null || instructions.isBlank() ? DEFAULT_INSTRUCTIONS : instructions.strip();
        StringBuilder sb = new StringBuilder(head).append('\n');
        for (int i = 0; i < found.size(); i++) {
            sb.append("\n[").append(i + 1).append("] (").append(found.get(i).document().getFileName()).append(") ")
                    .append(found.get(i).text().strip()).append('\n');
        }
        return sb.toString();
    }
}
