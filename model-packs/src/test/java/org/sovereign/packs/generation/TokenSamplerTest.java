package org.sovereign.packs.generation;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class TokenSamplerTest {

    @Test
    void greedyTakesTheFirstLargestLogit() {
        TokenSampler sampler = new TokenSampler(SamplingSettings.greedy());
        assertThat(sampler.next(new float[]{0.1f, 3f, -2f, 3f}, new long[0], 0)).isEqualTo(1);
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOnce() {
        float[] logits = {2f, -2f, 1f};
        TokenSampler.applyRepetitionPenalty(logits, new long[]{0, 1, 0, 1}, 4, 2f);
        assertThat(logits).containsExactly(1f, -4f, 1f);
    }

    @Test
    void repetitionPenaltyCanChangeTheGreedyChoice() {
        TokenSampler sampler = new TokenSampler(SamplingSettings.greedy().withRepetitionPenalty(2));
        assertThat(sampler.next(new float[]{2f, 1.5f}, new long[]{0}, 1)).isEqualTo(1);
    }

    @Test
    void ordersLogitsLargestFirstWithNegativesAndTies() {
        assertThat(TokenSampler.descendingOrder(new float[]{-1f, 5f, 0f, 5f, -7.5f})).containsExactly(1, 3, 2, 0, 4);
    }

    @Test
    void topKLimitsTheCandidates() {
        float[] logits = {5f, 4.9f, 4.8f, 0f, 0f};
        Set<Integer> seen = new HashSet<>();
        TokenSampler sampler = new TokenSampler(SamplingSettings.sampled(5.0, 1).withTopK(2));
        for (int i = 0; i < 500; i++) {
            seen.add(sampler.next(logits.clone(), new long[0], 0));
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // Probabilities about 0.5, 0.3, 0.2: p = 0.7 keeps the first two only.
        float[] logits = {(float) Math.log(0.5), (float) Math.log(0.3), (float) Math.log(0.2)};
        Set<Integer> seen = new HashSet<>();
        TokenSampler sampler = new TokenSampler(SamplingSettings.sampled(1.0, 3).withTopP(0.7));
        int first = 0;
        for (int i = 0; i < 2000; i++) {
            int token = sampler.next(logits.clone(), new long[0], 0);
            seen.add(token);
            first += token == 0 ? 1 : 0;
        }
        assertThat(seen).containsExactlyInAnyOrder(0, 1);
        assertThat(first / 2000.0).isCloseTo(0.5 / 0.8, within(0.05));
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        float[] logits = {0f, 0.1f, 0.2f, 0.3f, 0.4f, 0.5f};
        TokenSampler a = new TokenSampler(SamplingSettings.sampled(1.0, 99));
        TokenSampler b = new TokenSampler(SamplingSettings.sampled(1.0, 99));
        for (int i = 0; i < 100; i++) {
            assertThat(a.next(logits.clone(), new long[0], 0)).isEqualTo(b.next(logits.clone(), new long[0], 0));
        }
    }

    @Test
    void refusesMeaninglessSettings() {
        assertThatThrownBy(() -> new SamplingSettings(-1, 0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SamplingSettings(1, -1, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SamplingSettings(1, 0, 0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SamplingSettings(1, 0, 1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GenerationRequest.greedy(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
