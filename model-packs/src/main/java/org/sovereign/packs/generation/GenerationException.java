package org.sovereign.packs.generation;

/** Running the model failed part-way through generation (ONNX Runtime reported an error). */
public class GenerationException extends RuntimeException {
    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
