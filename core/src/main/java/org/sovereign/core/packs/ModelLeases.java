package org.sovereign.core.packs;

import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.generation.ChatModel;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The models one unlocked workspace keeps loaded between uses: at most one text-generation pack (asking with another
 * releases the first) and the library's embedding pack. Opened on first use, released when the workspace closes.
 * Generation on a loaded model is serialised where the model is loaded ({@link ModelRuntime#openChatModel}), so every
 * caller (window, command line, local API) takes its turn there. Thread-safe.
 */
public final class ModelLeases implements AutoCloseable {

    private Function<String, ChatModel> openChat;
    private final Supplier<Optional<Embedder>> openEmbedder;
    private String chatPack;
    private ChatModel chat;
    private Optional<Embedder> embedder;
    private boolean closed;

    /** Models from {@code runtime}: its chat models by pack id, and its default embedding pack. */
    public ModelLeases(ModelRuntime runtime) {
        this(runtime::openChatModel, runtime::openDefaultEmbedder);
    }

    /** @param openChat opens a text-generation pack by id; @param openEmbedder the library's embedder, if installed */
    public ModelLeases(Function<String, ChatModel> openChat, Supplier<Optional<Embedder>> openEmbedder) {
        this.openChat = openChat;
        this.openEmbedder = openEmbedder;
    }

    /**
     * The text-generation pack {@code packId}, loaded on first use and kept loaded; blocks while it loads. The
     * returned model stays owned by this object: callers never close it.
     */
    public synchronized ChatModel chatModel(String packId) {
        ensureOpen();
        if (chat != null && packId.equals(chatPack)) {
            return chat;
        }
        closeChat();
        chat = openChat.apply(packId);
        chatPack = packId;
        return chat;
    }

    /**
     * The library's embedding model, if an embedding pack is installed and loads; empty otherwise (keyword search
     * still works then). Owned by this object: callers never close it.
     */
    public synchronized Optional<Embedder> embedder() {
        ensureOpen();
        if (embedder == null) {
            try {
                embedder = openEmbedder.get();
            } catch (RuntimeException e) {
                embedder = Optional.empty();
            }
        }
        return embedder;
    }

    /**
     * Loads text-generation packs with {@code open} from the next switch of pack on (tests wrap the real model to slow
     * it down or to see its prompts). A model already loaded is released.
     */
    public synchronized void openChatModelsWith(Function<String, ChatModel> open) {
        closeChat();
        openChat = open;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The workspace is closed");
        }
    }

    private void closeChat() {
        if (chat != null) {
            try {
                chat.close();
            } finally {
                chat = null;
                chatPack = null;
            }
        }
    }

    /** Releases every model (they stay in the pack cache until it evicts them). */
    @Override
    public synchronized void close() {
        closed = true;
        try {
            closeChat();
        } finally {
            if (embedder != null) {
                embedder.ifPresent(Embedder::close);
                embedder = null;
            }
        }
    }
}
