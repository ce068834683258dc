package org.sovereign.core.assistant;

import org.junit.jupiter.api.Test;
import org.sovereign.core.assistant.ConversationService.StoredExchange;
import org.sovereign.core.assistant.PromptBudget.Plan;
import org.sovereign.core.assistant.PromptBudget.Turn;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.FolderChatModel;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.testing.Fixtures;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The budget's rules with a counter whose arithmetic is easy to follow: every message costs 3 tokens of template
 * plus one per character, and the opened assistant turn 2 more. (The real tokenizer is measured in
 * {@code AssistantServiceTest}.)
 */
class PromptBudgetTest {

    private static int count(List<ChatMessage> messages) {
        return messages.stream().mapToInt(m -> 3 + m.content().length()).sum() + 2;
    }

    private final List<List<ChatMessage>> measured = new ArrayList<>();

    private PromptBudget budget(int limit) {
        return new PromptBudget(m -> {
            measured.add(List.copyOf(m));
            return count(m);
        }, limit);
    }

    /** "sys" followed by k passages of ten characters each. */
    private static final IntFunction<String> SYSTEM = k -> "sys" + "[passage]|".repeat(k);

    private static List<Turn> turns(int n) {
        List<Turn> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(new Turn("q" + i, "answer " + i));
        }
        return out;
    }

    private static List<String> contents(Plan plan) {
        return plan.messages().stream().map(m -> m.role() + ":" + m.content()).toList();
    }

    @Test
    void whenEverythingFitsTheExchangesGoBetweenTheSystemMessageAndTheQuestionInOrder() {
        Plan plan = budget(1_000).plan(SYSTEM, 2, turns(2), "now?", 100);

        assertThat(contents(plan)).containsExactly("system:sys[passage]|[passage]|", "user:q1", "assistant:answer 1",
                "user:q2", "assistant:answer 2", "user:now?");
        assertThat(plan.passages()).isEqualTo(2);
        assertThat(plan.turnsSent()).isEqualTo(2);
        assertThat(plan.turnsLeftOut()).isZero();
        assertThat(plan.promptTokens()).isEqualTo(count(plan.messages()));
        assertThat(plan.answerRoomKept()).isTrue();
    }

    @Test
    void theOldestWholeExchangesAreLeftOutFirst() {
        // system 3+23, question 3+4, generation prompt 2 = 35; each exchange 3+2 + 3+8 = 16 tokens (q10: 17)
        List<Turn> history = turns(5);
        int room = 35 + 16 * 2 + 10; // two exchanges fit, and the question (5 tokens) of a third would too
        Plan plan = budget(room + 50).plan(SYSTEM, 2, history, "now?", 50);

        assertThat(contents(plan)).containsExactly("system:sys[passage]|[passage]|", "user:q4", "assistant:answer 4",
                "user:q5", "assistant:answer 5", "user:now?");
        assertThat(plan.turnsSent()).isEqualTo(2);
        assertThat(plan.turnsLeftOut()).isEqualTo(3);
        assertThat(plan.promptTokens()).isEqualTo(count(plan.messages())).isLessThanOrEqualTo(room);
        assertThat(plan.passages()).as("passages are kept while exchanges can give way").isEqualTo(2);
        assertThat(measured).as("every accepted prompt was measured as sent").contains(plan.messages());
    }

    @Test
    void theCurrentQuestionIsKeptWhenNoEarlierExchangeFits() {
        Plan plan = budget(35 + 15 + 50).plan(SYSTEM, 2, turns(3), "now?", 50);

        assertThat(contents(plan)).containsExactly("system:sys[passage]|[passage]|", "user:now?");
        assertThat(plan.turnsSent()).isZero();
        assertThat(plan.turnsLeftOut()).isEqualTo(3);
    }

    @Test
    void passagesAreReducedBeforeFailingAndOnlyOnceNoExchangeIsLeft() {
        // 3 passages: system 3+33, bare prompt 45; with 1 passage 25; room 30 keeps one passage
        Plan plan = budget(80).plan(SYSTEM, 3, turns(4), "now?", 50);

        assertThat(plan.passages()).isEqualTo(1);
        assertThat(plan.messages().get(0).content()).isEqualTo("sys[passage]|");
        assertThat(plan.turnsLeftOut()).isEqualTo(4);
        assertThat(plan.messages()).last().isEqualTo(ChatMessage.user("now?"));
        assertThat(plan.promptTokens()).isLessThanOrEqualTo(30);
    }

    @Test
    void whenNotEvenTheBareQuestionFitsTheTypedContextErrorIsThrown() {
        assertThatThrownBy(() -> budget(14).plan(SYSTEM, 3, turns(2), "a much longer question", 4))
                .isInstanceOfSatisfying(ContextLimitExceededException.class, e -> {
                    assertThat(e.contextLimit()).isEqualTo(14);
                    assertThat(e.promptTokens()).isEqualTo(3 + 3 + 3 + 22 + 2);
                    assertThat(e.partialResult()).isNull();
                });
    }

    @Test
    void anAnswerRoomLargerThanTheContextStillSendsTheQuestionWithThePassagesThatFitAndNoHistory() {
        // 2 passages: 35 tokens, 1 passage: 25, none: 15; the room asked for (10,000) can never be kept
        Plan plan = budget(30).plan(SYSTEM, 2, turns(2), "now?", 10_000);

        assertThat(plan.passages()).isEqualTo(1);
        assertThat(plan.turnsSent()).isZero();
        assertThat(plan.turnsLeftOut()).isEqualTo(2);
        assertThat(plan.answerRoomKept()).isFalse();
        assertThat(plan.promptTokens()).isEqualTo(25).isLessThan(30);
    }

    @Test
    void manyExchangesAreFittedWithFewMeasurements() {
        List<Turn> history = turns(200);
        int room = 35 + 17 * 30; // the newest exchanges (q101..q200) cost 20 tokens each: 25 of them fit
        Plan plan = budget(room + 8).plan(SYSTEM, 2, history, "now?", 8);

        assertThat(plan.turnsSent()).isBetween(20, 30);
        assertThat(plan.promptTokens()).isLessThanOrEqualTo(room);
        List<ChatMessage> oneMore = new ArrayList<>(plan.messages());
        Turn next = history.get(200 - plan.turnsSent() - 1);
        oneMore.add(1, ChatMessage.assistant(next.answer()));
        oneMore.add(1, ChatMessage.user(next.question()));
        assertThat(count(oneMore)).as("the newest exchanges that fit, not fewer").isGreaterThan(room);
        assertThat(plan.messages().get(plan.messages().size() - 2).content()).isEqualTo("answer 200");
        assertThat(measured.size()).as("a search, not one render per exchange").isLessThan(15);
        assertThat(measured).as("never the whole conversation: at most twice what fits")
                .allSatisfy(m -> assertThat(m.size()).isLessThanOrEqualTo(2 + 2 * 2 * plan.turnsSent()));
    }

    @Test
    void withTheTinyLlamasTokenizerAVeryLongConversationIsPlannedFromItsNewestEnd() {
        List<Turn> history = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            history.add(new Turn("Question " + i + " about the mites?", "Answer " + i + ": in August."));
        }
        IntFunction<String> system = k -> "Use the passages." + "\n[n] (notes.md) Mites are counted in August.".repeat(k);
        try (FolderChatModel model = new FolderChatModel(Fixtures.TINY_LLAMA, "sha256:" + "ab".repeat(32))) {
            PromptBudget real = new PromptBudget(m -> {
                measured.add(List.copyOf(m));
                return model.promptTokens(m);
            }, model.contextLimit());
            long start = System.nanoTime();
            Plan plan = real.plan(system, 2, history, "When?", 16);
            long micros = (System.nanoTime() - start) / 1_000;

            assertThat(plan.passages()).isEqualTo(2);
            assertThat(plan.turnsSent()).isPositive().isLessThan(20);
            assertThat(plan.promptTokens()).isEqualTo(model.promptTokens(plan.messages()))
                    .isLessThanOrEqualTo(model.contextLimit() - 16);
            assertThat(measured).allSatisfy(m -> assertThat(m.size()).isLessThanOrEqualTo(2 + 2 * 2 * plan.turnsSent()));
            // figures for docs/benchmarks.md, not assertions
            int renders = measured.size();
            for (int i = 0; i < 20; i++) { // warm-up
                real.plan(system, 2, history, "When?", 16);
            }
            long warmStart = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                real.plan(system, 2, history, "When?", 16);
            }
            long warmMicros = (System.nanoTime() - warmStart) / 1_000 / 50;
            System.out.printf("Prompt budget, tiny Llama, 200 earlier exchanges: %d kept, %d renders, first call %d us, "
                    + "then %d us per plan%n", plan.turnsSent(), renders, micros, warmMicros);
        }
    }

    @Test
    void theHistoryKeepsTheModelsAnswersInOrderAndSkipsPassagesOnlyAndEmptyOnes() {
        Instant t = Instant.EPOCH;
        List<StoredExchange> stored = List.of(
                new StoredExchange(1, t, "first", "written", true, List.of()),
                new StoredExchange(2, t, "second", "Retrieved passages (no text-generation model was used...)", false, List.of()),
                new StoredExchange(3, t, "third", "  ", true, List.of()),
                new StoredExchange(4, t, "fourth", "also written", true, List.of()));

        assertThat(PromptBudget.history(stored)).containsExactly(new Turn("first", "written"),
                new Turn("fourth", "also written"));
    }
}
