package org.sovereign.packs.generation;

import ai.onnxruntime.OrtException;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Generates text with a decoder-only ONNX model, token by token, keeping the attention key/value cache in
 * ONNX Runtime between steps.
 *
 * <p>This loop is written here by hand: no Java library runs Hugging Face/Optimum-style decoder exports with a
 * KV cache. The first step feeds the whole prompt with empty (length 0) past tensors; every later step feeds
 * one token plus the previous step's {@code present.*} outputs as {@code past_key_values.*}, without copying the
 * cache into Java (see {@code KvCacheDecoder}).
 *
 * <p>The generator borrows the model and the tokenizer: the caller keeps ownership and closes them after the last
 * generation. {@code generate} blocks the calling thread until generation ends; the listener is called on that
 * thread. Several threads may generate at once with one generator.
 */
public final class TextGenerator {

    private final OnnxDecoderModel model;
    private final TextTokenizer tokenizer;

    public TextGenerator(OnnxDecoderModel model, TextTokenizer tokenizer) {
        this.model = Objects.requireNonNull(model, "model");
        this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    }

    /**
     * Renders the conversation with {@code template} (assistant turn opened), encodes it without adding special
     * tokens (the template writes them, as transformers' {@code apply_chat_template} assumes) and generates.
     */
    public GenerationResult generateChat(ChatTemplate template, List<ChatMessage> messages, GenerationRequest request,
                                         TokenListener listener, CancellationSignal cancel) {
        String prompt = template.render(messages, true);
        return generate(tokenizer.encode(prompt, false), request, listener, cancel);
    }

    /** Encodes {@code prompt}, adding the tokenizer's special tokens (for example BOS), and generates. */
    public GenerationResult generate(String prompt, GenerationRequest request, TokenListener listener,
                                     CancellationSignal cancel) {
        return generate(tokenizer.encode(prompt, true), request, listener, cancel);
    }

    /**
     * Generates a continuation of {@code promptIds}.
     *
     * @throws ContextLimitExceededException if the prompt does not fit the context, or generation fills it before
     *                                       ending (with the partial result)
     * @throws GenerationException           if ONNX Runtime fails during a step
     */
    public GenerationResult generate(long[] promptIds, GenerationRequest request, TokenListener listener,
                                     CancellationSignal cancel) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancel, "cancel");
        if (promptIds.length == 0) {
            throw new IllegalArgumentException("The prompt has no tokens");
        }
        int limit = model.config().contextLimit();
        if (promptIds.length > limit) {
            throw new ContextLimitExceededException(limit, promptIds.length, null);
        }
        long start = System.nanoTime();
        Set<Long> stopIds = new HashSet<>(model.config().eosTokenIds());
        stopIds.addAll(request.extraStopTokenIds());
        TokenSampler sampler = new TokenSampler(request.sampling());
        IncrementalDetokenizer text = new IncrementalDetokenizer(
                ids -> tokenizer.decode(ids, request.skipSpecialTokens()), tokenizer::isByteFallback,
                request.stopStrings());
        long[] sequence = Arrays.copyOf(promptIds, promptIds.length + request.maxNewTokens());
        int length = promptIds.length;
        long firstTokenAt = start;
        if (cancel.isCancelled()) {
            return result(sequence, promptIds.length, length, text, FinishReason.CANCELLED, start, firstTokenAt);
        }
        try (KvCacheDecoder decoder = new KvCacheDecoder(model)) {
            long[] stepIds = promptIds;
            while (true) {
                float[] logits = step(decoder, stepIds);
                long token = sampler.next(logits, sequence, length);
                if (length == promptIds.length) {
                    firstTokenAt = System.nanoTime();
                }
                sequence[length++] = token;
                boolean endOfSequence = stopIds.contains(token);
                String delta = endOfSequence ? "" : text.push(token);
                FinishReason reason = endOfSequence ? FinishReason.END_OF_SEQUENCE
                        : text.stopped() ? FinishReason.STOP_STRING
                        : length - promptIds.length >= request.maxNewTokens() ? FinishReason.MAX_TOKENS
                        : cancel.isCancelled() ? FinishReason.CANCELLED
                        // The next step would need a position past the model's last one.
                        : length > limit ? FinishReason.CONTEXT_FULL
                        : null;
                if (reason != null && reason != FinishReason.STOP_STRING) {
                    delta += text.finish();
                }
                listener.onToken(token, delta);
                if (reason == FinishReason.CONTEXT_FULL) {
                    throw new ContextLimitExceededException(limit, promptIds.length,
                            result(sequence, promptIds.length, length, text, reason, start, firstTokenAt));
                }
                if (reason != null) {
                    return result(sequence, promptIds.length, length, text, reason, start, firstTokenAt);
                }
                stepIds = new long[]{token};
            }
        }
    }

    private static float[] step(KvCacheDecoder decoder, long[] ids) {
        try {
            return decoder.step(ids);
        } catch (OrtException e) {
            throw new GenerationException("The model failed at position " + decoder.cachedLength() + ": "
                    + e.getMessage(), e);
        }
    }

    private static GenerationResult result(long[] sequence, int promptLength, int length, IncrementalDetokenizer text,
                                           FinishReason reason, long start, long firstTokenAt) {
        long end = System.nanoTime();
        return new GenerationResult(Arrays.copyOfRange(sequence, promptLength, length), text.text(), reason,
                promptLength, Duration.ofNanos(firstTokenAt - start), Duration.ofNanos(end - start));
    }
}
