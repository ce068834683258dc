package org.sovereign.packs.generation;

/** Why generation ended. */
public enum FinishReason {
    /** The model produced an end-of-sequence token (or one of the request's extra stop tokens). */
    END_OF_SEQUENCE,
    /** The text reached one of the request's stop strings. */
    STOP_STRING,
    /** {@code maxNewTokens} tokens were generated. */
    MAX_TOKENS,
    /** The caller cancelled. */
    CANCELLED,
    /** The context window filled up; seen only in {@link ContextLimitExceededException#partialResult()}. */
    CONTEXT_FULL
}
