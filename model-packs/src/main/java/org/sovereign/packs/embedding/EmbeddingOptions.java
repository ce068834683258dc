package org.sovereign.packs.embedding;

/**
 * How an embedding model runs.
 *
 * <p>Batching: texts are grouped by token length and run {@code maxBatchSize} at a time. For float models this
 * changes nothing but speed. Dynamically quantized models (for example all-MiniLM-L6-v2-q) compute activation
 * scales over the whole batch, so a text's vector then depends on its batch neighbours (measured: cosine down to
 * 0.97 against the same text alone); keep {@code maxBatchSize} at 1 for them when vectors must be reproducible.
 *
 * @param intraOpThreads         threads for one ONNX Runtime operator; positive
 * @param maxBatchSize           most texts run through the model together; positive
 * @param maxTokens              longer texts are cut to this many tokens (the last special token is kept); at least 2
 * @param fullGraphOptimization  whether ONNX Runtime may apply its extended fusions. Faster, but with ONNX Runtime
 *                               1.29 they moved quantized MiniLM vectors of long texts by up to 4e-4 in cosine from
 *                               the unfused result, so the default is basic optimizations only
 */
public record EmbeddingOptions(int intraOpThreads, int maxBatchSize, int maxTokens, boolean fullGraphOptimization) {

    public EmbeddingOptions {
        if (intraOpThreads <= 0 || maxBatchSize <= 0 || maxTokens < 2) {
            throw new IllegalArgumentException("Invalid embedding options: threads=" + intraOpThreads
                    + ", batch=" + maxBatchSize + ", max tokens=" + maxTokens);
        }
    }

    /**
     * All available processors, one text per run (reproducible for quantized models), 256 tokens (what
     * sentence-transformers uses for MiniLM), basic graph optimizations.
     */
    public static EmbeddingOptions defaults() {
        return new EmbeddingOptions(Runtime.getRuntime().availableProcessors(), 1, 256, false);
    }

    public EmbeddingOptions withIntraOpThreads(int threads) {
        return new EmbeddingOptions(threads, maxBatchSize, maxTokens, fullGraphOptimization);
    }

    public EmbeddingOptions withMaxBatchSize(int size) {
        return new EmbeddingOptions(intraOpThreads, size, maxTokens, fullGraphOptimization);
    }

    public EmbeddingOptions withMaxTokens(int tokens) {
        return new EmbeddingOptions(intraOpThreads, maxBatchSize, tokens, fullGraphOptimization);
    }
}
