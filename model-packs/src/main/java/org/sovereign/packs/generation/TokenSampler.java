package org.sovereign.packs.generation;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses the next token from a logits row according to {@link SamplingSettings}. One instance per generation
 * (it carries the random generator's state); not thread-safe.
 */
final class TokenSampler {

    private final SamplingSettings settings;
    private final SplittableRandom random;

    TokenSampler(SamplingSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    /**
     * Picks a token. {@code logits} is modified in place.
     *
     * @param sequence every token so far (prompt and generated), for the repetition penalty
     */
    int next(float[] logits, long[] sequence, int sequenceLength) {
        if (settings.repetitionPenalty() != 1) {
            applyRepetitionPenalty(logits, sequence, sequenceLength, (float) settings.repetitionPenalty());
        }
        if (settings.isGreedy()) {
            return argmax(logits);
        }
        float temperature = (float) settings.temperature();
        for (int i = 0; i < logits.length; i++) {
            logits[i] /= temperature;
        }
        int[] order = descendingOrder(logits);
        int keep = order.length;
        if (settings.topK() > 0) {
            keep = Math.min(keep, settings.topK());
        }
        double max = logits[order[0]];
        double[] weights = new double[keep];
        double sum = 0;
        for (int i = 0; i < keep; i++) {
            weights[i] = Math.exp(logits[order[i]] - max);
            sum += weights[i];
        }
        if (settings.topP() < 1) {
            double cumulative = 0;
            int cut = keep;
            for (int i = 0; i < keep; i++) {
                cumulative += weights[i] / sum;
                if (cumulative >= settings.topP()) {
                    cut = i + 1;
                    break;
                }
            }
            keep = cut;
            sum = 0;
            for (int i = 0; i < keep; i++) {
                sum += weights[i];
            }
        }
        double target = random.nextDouble() * sum;
        double running = 0;
        for (int i = 0; i < keep; i++) {
            running += weights[i];
            if (target < running) {
                return order[i];
            }
        }
        return order[keep - 1];
    }

    static void applyRepetitionPenalty(float[] logits, long[] sequence, int length, float penalty) {
        boolean[] seen = new boolean[logits.length];
        for (int i = 0; i < length; i++) {
            long id = sequence[i];
            if (id >= 0 && id < logits.length && !seen[(int) id]) {
                seen[(int) id] = true;
                float l = logits[(int) id];
                logits[(int) id] = l > 0 ? l / penalty : l * penalty;
            }
        }
    }

    /** Index of the largest value; the first one on ties. */
    static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    /** Token indices sorted by logit, largest first; equal logits keep index order. */
    static int[] descendingOrder(float[] logits) {
        long[] keys = new long[logits.length];
        for (int i = 0; i < logits.length; i++) {
            int bits = Float.floatToIntBits(logits[i]);
            int sortable = bits ^ ((bits >> 31) & 0x7fffffff);
            // Larger logit first: negate the order key; ties resolved by the smaller index first.
            keys[i] = ((long) ~sortable << 32) | i;
        }
        Arrays.sort(keys);
        int[] order = new int[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = (int) keys[i];
        }
        return order;
    }
}
