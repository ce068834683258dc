package org.sovereign.core.assistant;

import org.sovereign.core.assistant.ConversationService.StoredExchange;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.template.ChatMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Fits a chat prompt into a model's context: the system message (instructions and numbered passages), the earlier
 * exchanges of the conversation, then the current question, leaving room for the answer.
 *
 * <p>Every candidate prompt is measured by rendering it with the pack's chat template and counting its tokens with
 * the pack's tokenizer ({@link ChatModel#promptTokens}), never estimated from characters. What gives way, in order:
 * <ol>
 *   <li>earlier exchanges, the oldest first, always whole (a question is never sent without its answer);</li>
 *   <li>then retrieved passages, the last-ranked first (they are only ever sent for the current question);</li>
 *   <li>then the room for the answer: when even the bare question leaves less than {@code answerTokens}, the prompt is
 *       sent as it would be without this budget (no earlier exchanges, as many passages as fit the context) and
 *       the answer ends when the context is full;</li>
 *   <li>the current question is never dropped: if it does not fit the context at all,
 *       {@link ContextLimitExceededException} is thrown before any work.</li>
 * </ol>
 */
public final class PromptBudget {

    /** Counts the tokens the model would be fed for a message list (rendered with its chat template). */
    @FunctionalInterface
    public interface TokenCounter {
        int count(List<ChatMessage> messages);
    }

    /** An earlier question of the conversation and the model's answer to it. */
    public record Turn(String question, String answer) {
        public Turn {
            Objects.requireNonNull(question, "question");
            Objects.requireNonNull(answer, "answer");
        }
    }

    /**
     * The prompt to send.
     *
     * @param messages      the system message, the kept earlier exchanges oldest first, then the current question
     * @param passages      how many retrieved passages the system message holds (the first, best-ranked ones)
     * @param turnsSent     earlier exchanges sent (the newest ones)
     * @param turnsLeftOut  earlier exchanges left out to fit (the oldest ones)
     * @param promptTokens  the measured size of {@code messages}, or -1 when the model's context is not known
     * @param answerRoomKept whether {@code answerTokens} of room are left after the prompt
     */
    public record Plan(List<ChatMessage> messages, int passages, int turnsSent, int turnsLeftOut, int promptTokens,
                       boolean answerRoomKept) {
        public Plan {
            messages = List.copyOf(messages);
        }
    }

    private final TokenCounter counter;
    private final int contextLimit;

    /**
     * @param counter      measures candidate prompts
     * @param contextLimit the most tokens the model's context holds, prompt and answer together
     */
    public PromptBudget(TokenCounter counter, int contextLimit) {
        if (contextLimit <= 0) {
            throw new IllegalArgumentException("contextLimit must be positive, was " + contextLimit);
        }
        this.counter = Objects.requireNonNull(counter, "counter");
        this.contextLimit = contextLimit;
    }

    /** The budget of {@code model}, or {@code null} when it does not say how long its context is (nothing is trimmed). */
    static PromptBudget of(ChatModel model) {
        int limit = model.contextLimit();
        return limit == ChatModel.UNKNOWN_CONTEXT ? null : new PromptBudget(model::promptTokens, limit);
    }

    /** Everything, untrimmed: for a model whose context length is unknown. */
    static Plan untrimmed(IntFunction<String> systemPrompt, int passages, List<Turn> history, String question) {
        return new Plan(messages(systemPrompt.apply(passages), history, question), passages, history.size(), 0, -1, true);
    }

    /**
     * The largest prompt that fits.
     *
     * @param systemPrompt the system message holding the first {@code k} passages, for each {@code k} from 0 to
     *                     {@code passages}
     * @param passages     how many passages were retrieved
     * @param history      the earlier exchanges, oldest first
     * @param question     the current question
     * @param answerTokens the room to leave for the answer ({@code GenerationRequest.maxNewTokens()})
     * @throws ContextLimitExceededException if the bare question (instructions, no passage) does not fit the context
     */
    public Plan plan(IntFunction<String> systemPrompt, int passages, List<Turn> history, String question, int answerTokens) {
        int room = contextLimit - Math.max(0, answerTokens);
        int[] bare = new int[passages + 1];
        for (int k = passages; k >= 0; k--) {
            String system = systemPrompt.apply(k);
            bare[k] = counter.count(messages(system, List.of(), question));
            if (bare[k] <= room) {
                return withHistory(system, k, bare[k], history, question, room);
            }
        }
        // Not even the bare question leaves the answer its room: send what fits the context with room for one token,
        // as the assistant did before it had a budget; the answer then ends where the context does.
        for (int k = passages; k >= 0; k--) {
            if (bare[k] < contextLimit) {
                return new Plan(messages(systemPrompt.apply(k), List.of(), question), k, 0, history.size(), bare[k], false);
            }
        }
        throw new ContextLimitExceededException(contextLimit, bare[0], null);
    }

    /**
     * The most recent whole exchanges that fit {@code room} besides the system message and the question. The search
     * gallops from the newest exchange (1, 2, 4, ... of them), then halves the last gap, so the prompts it renders
     * stay near the context's size however long the conversation is.
     */
    private Plan withHistory(String system, int passages, int bareTokens, List<Turn> history, String question, int room) {
        int all = history.size();
        int fits = 0; // this many of the newest exchanges are known to fit...
        int fitsTokens = bareTokens;
        int over = all + 1; // ...and this many known not to (all + 1: none known yet)
        int next = 1;
        while (next <= all) {
            int tokens = counter.count(messages(system, history.subList(all - next, all), question));
            if (tokens > room) {
                over = next;
                break;
            }
            fits = next;
            fitsTokens = tokens;
            if (next == all) {
                break;
            }
            next = Math.min(next * 2, all);
        }
        while (over - fits > 1) {
            int mid = (fits + over) >>> 1;
            int tokens = counter.count(messages(system, history.subList(all - mid, all), question));
            if (tokens <= room) {
                fits = mid;
                fitsTokens = tokens;
            } else {
                over = mid;
            }
        }
        return new Plan(messages(system, history.subList(all - fits, all), question), passages, fits, all - fits,
                fitsTokens, true);
    }

    private static List<ChatMessage> messages(String system, List<Turn> history, String question) {
        List<ChatMessage> out = new ArrayList<>(history.size() * 2 + 2);
        out.add(ChatMessage.system(system));
        for (Turn t : history) {
            out.add(ChatMessage.user(t.question()));
            out.add(ChatMessage.assistant(t.answer()));
        }
        out.add(ChatMessage.user(question));
        return out;
    }

    /** Plain words for a context-limit failure of an assistant answer. */
    public static String explain(ContextLimitExceededException e) {
        return e.partialResult() == null
                ? "The question does not fit the model's context (" + e.contextLimit() + " tokens) even without "
                + "passages or earlier messages: it needs " + e.promptTokens() + ". Ask a shorter question."
                : "The answer filled the model's context (" + e.contextLimit() + " tokens) before it ended and was "
                + "not kept. Ask a shorter question, or for a shorter answer.";
    }

    /**
     * What to tell the person when {@code exchangesLeftOut} earlier exchanges were left out of the prompt, in plain
     * words; empty when none was.
     */
    /**
     * The line shown under an answer about earlier exchanges that were not sent: those left out to fit the context
     * ({@link #leftOutNote}) and those held back because no consent covers their documents any more.
     */
    public static String historyNote(int exchangesLeftOut, int exchangesWithheld) {
        String withheld = exchangesWithheld <= 0 ? ""
                : "Earlier messages not sent to the model because the consent for the documents they cite no longer "
                + "covers them: " + exchangesWithheld * 2 + ".";
        String leftOut = leftOutNote(exchangesLeftOut);
        return leftOut.isEmpty() ? withheld : withheld.isEmpty() ? leftOut : leftOut + " " + withheld;
    }

    public static String leftOutNote(int exchangesLeftOut) {
        if (exchangesLeftOut <= 0) {
            return "";
        }
        return "Earlier messages left out to fit the model's context: " + exchangesLeftOut * 2
                + (exchangesLeftOut == 1 ? " (the oldest question and its answer)."
                : " (the " + exchangesLeftOut + " oldest questions and their answers).");
    }

    /**
     * The conversation's history as the model sees it: the stored exchanges in order, keeping only those a model
     * answered. Retrieved-passages-only answers are not the model's words (and their passages are not in the
     * prompt), and an empty answer says nothing, so both are left out.
     */
    public static List<Turn> history(List<StoredExchange> stored) {
        List<Turn> out = new ArrayList<>();
        for (StoredExchange x : stored) {
            if (x.generated() && !x.answer().isBlank()) {
                out.add(new Turn(x.question(), x.answer()));
            }
        }
        return out;
    }
}
