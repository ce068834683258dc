package org.sovereign.core.assistant;

import org.sovereign.packs.generation.TokenListener;

/**
 * Hears how answering a question goes, on the answering thread: the answer's text as it streams ({@link
 * #onToken}), and the steps before it. Implementations must be quick and must not throw.
 */
public interface AskListener extends TokenListener {

    /** A new conversation was stored for the question (it exists even if answering then fails). */
    default void conversationStarted(long conversationId) {
    }

    /** The model is loaded and starts writing (not called when only passages are shown). */
    default void writing() {
    }
}
