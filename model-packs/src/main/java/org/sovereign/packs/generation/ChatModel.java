package org.sovereign.packs.generation;

import org.sovereign.packs.template.ChatMessage;

import java.util.List;

/** A loaded text-generation pack the assistant can talk to. Closing it frees the ONNX Runtime session. */
public interface ChatModel extends AutoCloseable {

    /** Returned by {@link #contextLimit()} when the model does not say how long its context is. */
    int UNKNOWN_CONTEXT = Integer.MAX_VALUE;

    /** The pack's digest, as consent and the audit log name packs. */
    String packDigest();

    /** Renders {@code messages} with the pack's chat template and generates the assistant's turn, streaming tokens. */
    GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener, CancellationSignal cancel);

    /**
     * The most tokens one sequence may hold, prompt and answer together ({@code max_position_embeddings}), or
     * {@link #UNKNOWN_CONTEXT} when the model does not say: then the assistant sends its prompt untrimmed.
     */
    default int contextLimit() {
        return UNKNOWN_CONTEXT;
    }

    /**
     * The prompt {@link #chat} feeds the model for {@code messages}: rendered with the pack's chat template, the
     * assistant's turn opened. Models that report a {@link #contextLimit()} implement it.
     */
    default String renderPrompt(List<ChatMessage> messages) {
        throw new UnsupportedOperationException("This model does not render prompts outside chat()");
    }

    /**
     * How many tokens {@link #chat} would feed the model for {@code messages}: {@link #renderPrompt} encoded with the
     * pack's tokenizer exactly as {@code chat} encodes it. Models that report a {@link #contextLimit()} implement it.
     */
    default int promptTokens(List<ChatMessage> messages) {
        throw new UnsupportedOperationException("This model does not count prompt tokens");
    }

    /**
     * A prompt rendered and encoded once by {@link #prepare}, so that a caller can count its tokens and then generate
     * from it without rendering the chat template a second time.
     *
     * @param tokenIds what {@link #chat(List, GenerationRequest, TokenListener, CancellationSignal)} would feed the
     *                 model for the same messages
     */
    record PreparedPrompt(long[] tokenIds) {
        /** How many tokens the prompt takes. */
        public int tokens() {
            return tokenIds.length;
        }
    }

    /**
     * {@code messages} rendered with the pack's chat template (the assistant's turn opened) and encoded exactly as
     * {@link #chat(List, GenerationRequest, TokenListener, CancellationSignal)} does; generate from it with
     * {@link #chat(PreparedPrompt, GenerationRequest, TokenListener, CancellationSignal)}.
     */
    default PreparedPrompt prepare(List<ChatMessage> messages) {
        throw new UnsupportedOperationException("This model does not prepare prompts outside chat()");
    }

    /** Generates the assistant's turn for a {@link #prepare prepared} prompt: the same as chatting with its messages. */
    default GenerationResult chat(PreparedPrompt prompt, GenerationRequest request, TokenListener listener,
                                  CancellationSignal cancel) {
        throw new UnsupportedOperationException("This model does not generate from prepared prompts");
    }

    @Override
    void close();
}
