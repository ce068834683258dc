package org.sovereign.packs.embedding;

/** Computing embeddings failed (ONNX Runtime reported an error while running the model). */
public class EmbeddingException extends RuntimeException {
    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
