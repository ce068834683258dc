package org.sovereign.app.assistant;

import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;

import java.util.List;

/** A loaded text-generation pack the assistant can talk to. Closing it frees the ONNX Runtime session. */
public interface ChatModel extends AutoCloseable {

    /** The pack's digest, as consent and the audit log name packs. */
    String packDigest();

    /** Renders {@code messages} with the pack's chat template and generates the assistant's turn, streaming tokens. */
    GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener, CancellationSignal cancel);

    @Override
    void close();
}
