package org.sovereign.packs.generation;

/**
 * How the next token is chosen from the logits, applied in the order transformers applies them:
 * repetition penalty, temperature, top-k, top-p.
 *
 * @param temperature       0 for greedy (always the most likely token); otherwise logits are divided by it
 * @param topK              keep only the k most likely tokens; 0 keeps all
 * @param topP              keep the smallest set of most likely tokens whose probabilities add up to at least p;
 *                          1 keeps all
 * @param repetitionPenalty 1 for none; above 1 makes tokens already in the sequence (prompt included) less likely
 * @param seed              seed of the random generator, so a sampled generation can be repeated exactly
 */
public record SamplingSettings(double temperature, int topK, double topP, double repetitionPenalty, long seed) {

    public SamplingSettings {
        if (!(temperature >= 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be 0 or positive, was " + temperature);
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be 0 (off) or positive, was " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new IllegalArgumentException("repetitionPenalty must be positive, was " + repetitionPenalty);
        }
    }

    /** Always the most likely token, no penalty. */
    public static SamplingSettings greedy() {
        return new SamplingSettings(0, 0, 1, 1, 0);
    }

    /** Random sampling at {@code temperature} with the given seed and no other filtering. */
    public static SamplingSettings sampled(double temperature, long seed) {
        return new SamplingSettings(temperature, 0, 1, 1, seed);
    }

    public SamplingSettings withTopK(int k) {
        return new SamplingSettings(temperature, k, topP, repetitionPenalty, seed);
    }

    public SamplingSettings withTopP(double p) {
        return new SamplingSettings(temperature, topK, p, repetitionPenalty, seed);
    }

    public SamplingSettings withRepetitionPenalty(double penalty) {
        return new SamplingSettings(temperature, topK, topP, penalty, seed);
    }

    public boolean isGreedy() {
        return temperature == 0;
    }
}
