package org.sovereign.core.assistant;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.packs.ModelLeases;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.template.ChatTemplateException;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentRefusedException;

import java.util.List;
import java.util.function.Supplier;

/**
 * The "ask a question" use case, the one place it is assembled for the window, the command line and the local API:
 * the conversation (started, or trimmed for edit-and-resend), the model (loaded once per workspace), the library
 * search, the consent checks, the answer, its storage and its audit entry ({@link AssistantService} does the
 * retrieval, the prompt and the record).
 */
public final class AskQuestion {

    private final LocalStore store;
    private final Supplier<LibraryService> library;
    private final ConversationService conversations;
    private final ModelLeases models;

    /** @param library the library to search, with the workspace's embedder when one is installed */
    public AskQuestion(LocalStore store, Supplier<LibraryService> library, ConversationService conversations,
                       ModelLeases models) {
        this.store = store;
        this.library = library;
        this.conversations = conversations;
        this.models = models;
    }

    /**
     * Answers {@code request}, streaming to {@code listener}; blocks until the answer is stored (or {@code cancel}
     * stops the model: what was written so far is the answer then).
     *
     * @return the answer, with the conversation it was stored in
     * @throws org.sovereign.store.consent.ConsentRefusedException if no consent covers the documents or the pack
     * @throws org.sovereign.packs.generation.ContextLimitExceededException if the question cannot fit the model's
     *         context even alone
     * @throws org.sovereign.core.common.UserFacingException for a conversation that does not exist, or a pack that
     *         cannot be loaded
     */
    public Answer ask(AskRequest request, AskListener listener, CancellationSignal cancel) {
        long conversation = request.conversationId();
        String instructions = request.instructions();
        if (conversation >= 0 && instructions == null) { // a continued conversation must exist and keeps its own
            long id = conversation;
            instructions = StoreService.translate(() -> conversations.settings(id).systemPrompt());
        }
        // the model loads before anything is stored, so a pack that cannot load leaves the conversation as it was
        ChatModel model = request.packId() == null ? null : models.chatModel(request.packId());
        if (conversation < 0) {
            // a new conversation remembers the pack it was started with (none chosen: the screen's default applies)
            ConversationService.Settings settings = new ConversationService.Settings("", instructions, request.packId());
            conversation = StoreService.translate(() -> conversations.create(settings));
            listener.conversationStarted(conversation);
        } else if (request.replaceFrom() >= 0) {
            conversations.removeFrom(conversation, request.replaceFrom());
        }
        if (model != null) {
            listener.writing();
        }
        AssistantService assistant = new AssistantService(store, library.get(), conversations);
        try {
            return assistant.ask(request.question(), request.purpose(), request.passages(), model, conversation,
                    instructions, request.generation(), listener, cancel, request.auditRefs());
        } catch (ConsentRefusedException e) {
            // the question stays in its conversation, with a plain note instead of an answer (never sent to a model)
            long id = conversation;
            StoreService.translate(() -> conversations.addExchange(id,
                    new ExchangeRecord(request.question(), REFUSED_ANSWER, false, 0, 0, List.of())));
            throw e;
        } catch (ChatTemplateException e) { // an untrusted template that fails or breaks a limit: say which pack
            throw new UserFacingException("The chat template of the pack '" + request.packId()
                    + "' could not format the conversation: " + e.getMessage(), e);
        }
    }

    /**
     * What a conversation keeps in place of an answer when consent refused it: the question stays where it was
     * asked, so the person sees it again; a model never gets it as an earlier answer.
     */
    public static final String REFUSED_ANSWER = "No answer: no consent covered this question when it was asked.";

    /** The stored exchange an answer was kept as (the newest of its conversation), for edit-and-resend. */
    public long storedExchange(Answer answer) {
        return conversations.lastExchangeId(answer.conversationId()).orElse(-1L);
    }
}
