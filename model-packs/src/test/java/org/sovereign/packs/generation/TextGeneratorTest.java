package org.sovereign.packs.generation;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sovereign.packs.testing.TinyLlamaFixture;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextGeneratorTest {

    private static OnnxDecoderModel model;
    private static TextTokenizer tokenizer;
    private static TextGenerator generator;
    private static String prompt;
    private static long[] greedyIds;

    @BeforeAll
    static void open() {
        model = OnnxDecoderModel.open(TinyLlamaFixture.DIR, TinyLlamaFixture.DIR.resolve("model.onnx"),
                new DecoderOptions(1));
        tokenizer = TextTokenizer.load(TinyLlamaFixture.DIR);
        generator = new TextGenerator(model, tokenizer);
        JsonNode plain = TinyLlamaFixture.greedyCase("plain");
        prompt = plain.get("prompt").asText();
        greedyIds = TinyLlamaFixture.longs(plain.get("generated_ids"));
    }

    @AfterAll
    static void close() {
        model.close();
        tokenizer.close();
    }

    private static GenerationResult run(GenerationRequest request) {
        return generator.generate(prompt, request, TokenListener.none(), new CancellationSignal());
    }

    @Test
    void greedyOutputIsTheSameWithSleepingWorkerThreads() {
        try (OnnxDecoderModel sleeping = OnnxDecoderModel.open(TinyLlamaFixture.DIR,
                TinyLlamaFixture.DIR.resolve("model.onnx"), new DecoderOptions(2).withSpinning(false))) {
            GenerationResult result = new TextGenerator(sleeping, tokenizer).generate(prompt,
                    GenerationRequest.greedy(greedyIds.length), TokenListener.none(), new CancellationSignal());
            assertThat(result.tokenIds()).containsExactly(greedyIds);
        }
    }

    @Test
    void readsTheModelShapeFromConfigAndGenerationConfig() {
        DecoderConfig config = model.config();
        assertThat(config.layers()).isEqualTo(2);
        assertThat(config.kvHeads()).isEqualTo(2);
        assertThat(config.headDim()).isEqualTo(16);
        assertThat(config.contextLimit()).isEqualTo(256);
        assertThat(config.eosTokenIds()).containsExactlyInAnyOrder(2L, 4L);
    }

    @Test
    void samplingWithTheSameSeedRepeatsExactly() {
        GenerationRequest request = GenerationRequest.greedy(30)
                .withSampling(SamplingSettings.sampled(1.0, 42).withTopK(50).withTopP(0.95).withRepetitionPenalty(1.1));

        long[] first = run(request).tokenIds();
        long[] second = run(request).tokenIds();
        long[] rebuilt = run(GenerationRequest.greedy(30)
                .withSampling(new SamplingSettings(1.0, 50, 0.95, 1.1, 42))).tokenIds();
        long[] differentSeed = run(GenerationRequest.greedy(30)
                .withSampling(SamplingSettings.sampled(1.0, 43).withTopK(50).withTopP(0.95).withRepetitionPenalty(1.1)))
                .tokenIds();

        assertThat(first).hasSize(30).containsExactly(second).containsExactly(rebuilt);
        assertThat(first).isNotEqualTo(differentSeed).isNotEqualTo(greedyIds);
    }

    @Test
    void topKOfOneIsGreedy() {
        GenerationRequest request = GenerationRequest.greedy(greedyIds.length)
                .withSampling(SamplingSettings.sampled(0.7, 7).withTopK(1));

        assertThat(run(request).tokenIds()).containsExactly(greedyIds);
    }

    @Test
    void aStopStringEndsGenerationAndIsNeverStreamed() {
        String full = tokenizer.decode(greedyIds, true);
        String stop = "ver";
        int at = full.indexOf(stop);
        assertThat(at).as("fixture text contains the stop string").isPositive();
        StringBuilder streamed = new StringBuilder();

        GenerationResult result = generator.generate(prompt, GenerationRequest.greedy(greedyIds.length)
                        .withStopStrings(List.of("no such text", stop)),
                (id, delta) -> streamed.append(delta), new CancellationSignal());

        assertThat(result.finishReason()).isEqualTo(FinishReason.STOP_STRING);
        assertThat(result.text()).isEqualTo(full.substring(0, at));
        assertThat(streamed.toString()).isEqualTo(result.text());
        assertThat(result.tokenIds().length).isLessThan(greedyIds.length);
        assertThat(greedyIds).startsWith(result.tokenIds());
    }

    @Test
    void anEndOfSequenceTokenEndsGeneration() {
        long stopId = greedyIds[5];
        int firstIndex = 0;
        while (greedyIds[firstIndex] != stopId) {
            firstIndex++;
        }
        List<Long> streamed = new ArrayList<>();
        StringBuilder streamedText = new StringBuilder();

        GenerationResult result = generator.generate(prompt,
                GenerationRequest.greedy(greedyIds.length).withExtraStopTokenIds(Set.of(stopId)),
                (id, delta) -> {
                    streamed.add(id);
                    streamedText.append(delta);
                }, new CancellationSignal());

        assertThat(result.finishReason()).isEqualTo(FinishReason.END_OF_SEQUENCE);
        assertThat(result.tokenIds()).containsExactly(Arrays.copyOf(greedyIds, firstIndex + 1));
        assertThat(streamed).hasSize(firstIndex + 1);
        assertThat(result.text()).isEqualTo(tokenizer.decode(Arrays.copyOf(greedyIds, firstIndex), true));
        assertThat(streamedText.toString()).isEqualTo(result.text());
    }

    @Test
    void cancellingStopsBeforeTheNextStep() {
        CancellationSignal cancel = new CancellationSignal();
        List<Long> streamed = new ArrayList<>();

        GenerationResult result = generator.generate(prompt, GenerationRequest.greedy(greedyIds.length),
                (id, delta) -> {
                    streamed.add(id);
                    if (streamed.size() == 3) {
                        cancel.cancel();
                    }
                }, cancel);

        // The listener cancels while token 3 is delivered; at most one more step may run.
        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.tokenIds().length).isBetween(3, 4);
        assertThat(greedyIds).startsWith(result.tokenIds());
    }

    @Test
    void aSignalCancelledBeforehandRunsNoStep() {
        CancellationSignal cancel = new CancellationSignal();
        cancel.cancel();

        GenerationResult result = generator.generate(prompt, GenerationRequest.greedy(10), TokenListener.none(), cancel);

        assertThat(result.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(result.tokenIds()).isEmpty();
        assertThat(result.text()).isEmpty();
    }

    @Test
    void aPromptLongerThanTheContextIsRefusedUpFront() {
        long[] tooLong = new long[257];
        Arrays.fill(tooLong, 70L);

        assertThatThrownBy(() -> generator.generate(tooLong, GenerationRequest.greedy(1), TokenListener.none(),
                new CancellationSignal()))
                .isInstanceOfSatisfying(ContextLimitExceededException.class, e -> {
                    assertThat(e.contextLimit()).isEqualTo(256);
                    assertThat(e.promptTokens()).isEqualTo(257);
                    assertThat(e.partialResult()).isNull();
                })
                .hasMessageContaining("257 tokens").hasMessageContaining("256");
    }

    @Test
    void generationThatFillsTheContextEndsWithATypedErrorAndThePartialResult() {
        long[] longPrompt = new long[250];
        Arrays.fill(longPrompt, 70L);
        longPrompt[0] = 1L;
        List<Long> streamed = new ArrayList<>();

        assertThatThrownBy(() -> generator.generate(longPrompt, GenerationRequest.greedy(20),
                (id, delta) -> streamed.add(id), new CancellationSignal()))
                .isInstanceOfSatisfying(ContextLimitExceededException.class, e -> {
                    assertThat(e.contextLimit()).isEqualTo(256);
                    // Steps run with at most 256 positions: the prompt's step and 6 single-token steps.
                    assertThat(e.partialResult().tokenIds()).hasSize(7);
                    assertThat(e.partialResult().finishReason()).isEqualTo(FinishReason.CONTEXT_FULL);
                    assertThat(streamed).hasSize(7);
                })
                .hasMessageContaining("full");
    }

    @Test
    void generationThatEndsExactlyAtTheContextIsFine() {
        long[] longPrompt = new long[250];
        Arrays.fill(longPrompt, 70L);

        GenerationResult result = generator.generate(longPrompt, GenerationRequest.greedy(7), TokenListener.none(),
                new CancellationSignal());

        assertThat(result.tokenIds()).hasSize(7);
        assertThat(result.finishReason()).isEqualTo(FinishReason.MAX_TOKENS);
    }
}
