package org.sovereign.packs.generation;

/**
 * The conversation no longer fits the model's context window ({@code max_position_embeddings}).
 * Thrown before any work when the prompt alone is too long, or when generation reaches the limit before it
 * finished; in the second case {@link #partialResult()} holds what had been generated (and already streamed).
 */
public class ContextLimitExceededException extends RuntimeException {

    private final int contextLimit;
    private final int promptTokens;
    private final transient GenerationResult partialResult;

    public ContextLimitExceededException(int contextLimit, int promptTokens, GenerationResult partialResult) {
        super(partialResult == null
                ? "The prompt has " + promptTokens + " tokens but the model's context holds at most " + contextLimit
                : "The model's context of " + contextLimit + " tokens is full after " + promptTokens
                        + " prompt tokens and " + partialResult.tokenIds().length + " generated tokens");
        this.contextLimit = contextLimit;
        this.promptTokens = promptTokens;
        this.partialResult = partialResult;
    }

    public int contextLimit() {
        return contextLimit;
    }

    public int promptTokens() {
        return promptTokens;
    }

    /** What was generated before the limit, or {@code null} if the prompt alone was too long. */
    public GenerationResult partialResult() {
        return partialResult;
    }
}
