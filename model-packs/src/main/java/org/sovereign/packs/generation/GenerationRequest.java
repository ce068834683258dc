package org.sovereign.packs.generation;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What to generate.
 *
 * @param maxNewTokens      most tokens to generate; positive
 * @param sampling          how each token is chosen
 * @param stopStrings       generation ends when the text contains one of these; the text ends just before it
 * @param extraStopTokenIds token ids that end generation besides the model's {@code eos_token_id}s
 * @param skipSpecialTokens whether special tokens are left out of the streamed and returned text
 */
public record GenerationRequest(int maxNewTokens, SamplingSettings sampling, List<String> stopStrings,
                                Set<Long> extraStopTokenIds, boolean skipSpecialTokens) {

    public GenerationRequest {
        if (maxNewTokens <= 0) {
            throw new IllegalArgumentException("maxNewTokens must be positive, was " + maxNewTokens);
        }
        Objects.requireNonNull(sampling, "sampling");
        stopStrings = List.copyOf(stopStrings);
        extraStopTokenIds = Set.copyOf(extraStopTokenIds);
    }

    /** Greedy decoding of up to {@code maxNewTokens} tokens, no stop strings, special tokens skipped in the text. */
    public static GenerationRequest greedy(int maxNewTokens) {
        return new GenerationRequest(maxNewTokens, SamplingSettings.greedy(), List.of(), Set.of(), true);
    }

    public GenerationRequest withSampling(SamplingSettings settings) {
        return new GenerationRequest(maxNewTokens, settings, stopStrings, extraStopTokenIds, skipSpecialTokens);
    }

    public GenerationRequest withStopStrings(List<String> strings) {
        return new GenerationRequest(maxNewTokens, sampling, strings, extraStopTokenIds, skipSpecialTokens);
    }

    public GenerationRequest withExtraStopTokenIds(Set<Long> ids) {
        return new GenerationRequest(maxNewTokens, sampling, stopStrings, ids, skipSpecialTokens);
    }

    public GenerationRequest withSkipSpecialTokens(boolean skip) {
        return new GenerationRequest(maxNewTokens, sampling, stopStrings, extraStopTokenIds, skip);
    }
}
