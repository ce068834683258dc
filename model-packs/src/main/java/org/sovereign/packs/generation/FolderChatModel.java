package org.sovereign.packs.generation;

import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplate;
import org.sovereign.packs.tokenizer.TextTokenizer;

import java.nio.file.Path;
import java.util.List;

/** A chat model loaded from a model folder in the Hugging Face ONNX layout (as installed packs keep it). */
public final class FolderChatModel implements ChatModel {

    private final String digest;
    private final OnnxDecoderModel model;
    private final TextTokenizer tokenizer;
    private final ChatTemplate template;
    private final TextGenerator generator;

    /** Loads the model, tokenizer and chat template of {@code folder}; blocks while ONNX Runtime builds the session. */
    public FolderChatModel(Path folder, String packDigest) {
        this(folder.resolve("model.onnx"), folder, ChatTemplate.fromModelFolder(folder), packDigest);
    }

    /** Loads {@code modelFile} with the tokenizer at {@code tokenizer} (file or folder) and the given template. */
    public FolderChatModel(Path modelFile, Path tokenizer, ChatTemplate template, String packDigest) {
        this.digest = packDigest;
        this.template = template;
        this.model = OnnxDecoderModel.open(modelFile.getParent(), modelFile, DecoderOptions.defaults());
        try {
            this.tokenizer = TextTokenizer.load(tokenizer);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        this.generator = new TextGenerator(model, this.tokenizer);
    }

    @Override
    public String packDigest() {
        return digest;
    }

    @Override
    public GenerationResult chat(List<ChatMessage> messages, GenerationRequest request, TokenListener listener, CancellationSignal cancel) {
        return generator.generateChat(template, messages, request, listener, cancel);
    }

    @Override
    public int contextLimit() {
        return model.config().contextLimit();
    }

    @Override
    public String renderPrompt(List<ChatMessage> messages) {
        return template.render(messages, true);
    }

    @Override
    public int promptTokens(List<ChatMessage> messages) {
        // the same rendering and encoding as TextGenerator.generateChat (the template writes the special tokens)
        return tokenizer.encode(renderPrompt(messages), false).length;
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }
}
