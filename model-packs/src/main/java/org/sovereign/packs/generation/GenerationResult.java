package org.sovereign.packs.generation;

import java.time.Duration;

/**
 * The outcome of one generation. The {@code tokenIds} array belongs to this record; callers must not modify it.
 *
 * @param tokenIds         generated token ids, the end-of-sequence token included if one ended generation
 * @param text             the generated text, without the end-of-sequence token and cut before any stop string
 * @param finishReason     why generation ended
 * @param promptTokens     number of prompt tokens
 * @param timeToFirstToken from the start of the call until the first token was chosen (zero if none was)
 * @param total            from the start of the call until generation ended
 */
public record GenerationResult(long[] tokenIds, String text, FinishReason finishReason, int promptTokens,
                               Duration timeToFirstToken, Duration total) {

    /** Generated tokens per second over the whole call, prompt processing included. */
    public double tokensPerSecond() {
        return perSecond(tokenIds.length, total);
    }

    /** Tokens per second after the first token: the speed of the cached decoding steps alone. */
    public double decodeTokensPerSecond() {
        return perSecond(tokenIds.length - 1, total.minus(timeToFirstToken));
    }

    private static double perSecond(int tokens, Duration time) {
        return tokens <= 0 || time.isZero() || time.isNegative() ? 0 : tokens / (time.toNanos() / 1e9);
    }
}
