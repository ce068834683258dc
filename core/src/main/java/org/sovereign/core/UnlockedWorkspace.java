package org.sovereign.core;

import org.sovereign.core.assistant.AskQuestion;
import org.sovereign.core.assistant.ConversationService;
import org.sovereign.core.consent.Consents;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.library.ChunkStore;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.core.packs.ModelLeases;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.store.LocalStore;
import org.sovereign.store.egress.EgressGuard;

import java.time.Clock;

/**
 * An unlocked vault and everything that lives only while it is unlocked: the open {@link LocalStore} (its keys), the
 * library's in-memory vectors, the loaded models, and the use cases over them (library, conversations, assistant,
 * consent). The one owner of an unlocked vault for the window, the command line, the local API and the mesh.
 * Closing it locks: models are released, the vectors are zeroed and the store wipes its keys. Thread-safe; its use
 * cases block, so callers run them off any UI thread.
 */
public final class UnlockedWorkspace implements AutoCloseable {

    private final LocalStore store;
    private final Clock clock;
    private final ChunkStore vectors;
    private final ModelLeases models;
    private final ConversationService conversations;
    private final EgressGuard network;
    private volatile boolean closed;

    UnlockedWorkspace(LocalStore store, ModelRuntime runtime, Clock clock) {
        this(store, new ModelLeases(runtime), clock);
    }

    /** A workspace with these models (tests pass stand-ins for models that need no pack). */
    public UnlockedWorkspace(LocalStore store, ModelLeases models, Clock clock) {
        this.store = store;
        this.clock = clock;
        this.models = models;
        this.vectors = ChunkStore.forSession(store.session());
        this.conversations = new ConversationService(store);
        this.network = new EgressGuard(new NetworkPurposes(store.consent(), clock), store::record);
    }

    /** The unlocked store, for what has no use case of its own yet (audit, vault settings). Owned here: never close it. */
    public LocalStore store() {
        return store;
    }

    /** The models loaded for this workspace. */
    public ModelLeases models() {
        return models;
    }

    /** The library with the embedding pack (loading it on first use); keyword search only when none is installed. */
    public LibraryService library() {
        return new LibraryService(store, vectors, new TextExtractor(), Chunker.defaults(), models.embedder().orElse(null));
    }

    /** The library without loading a model: for listing and forgetting sources and loading the stored vectors. */
    public LibraryService libraryWithoutModel() {
        return new LibraryService(store, vectors, new TextExtractor(), Chunker.defaults(), null);
    }

    /** The library's in-memory vectors on this session (loaded by the first search or {@code loadVectors}). */
    public ChunkStore vectors() {
        return vectors;
    }

    /** The stored conversations. */
    public ConversationService conversations() {
        return conversations;
    }

    /** Asking the assistant. */
    public AskQuestion assistant() {
        return new AskQuestion(store, this::library, conversations, models);
    }

    /** Giving and withdrawing consent (withdrawal can erase what was indexed under it). */
    public Consents consents() {
        return new Consents(store, clock, this::libraryWithoutModel);
    }

    /**
     * The one way this workspace opens sockets (ADR-0010): each connection or listener is checked against
     * {@link NetworkPurposes} and written to the audit log with its byte counts.
     */
    public EgressGuard network() {
        return network;
    }

    /** Whether {@link #close()} ran. */
    public boolean isClosed() {
        return closed;
    }

    /** Locks: releases the models, zeroes the vectors and closes the store (wiping its keys). Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            models.close();
        } finally {
            store.close();
        }
    }
}
