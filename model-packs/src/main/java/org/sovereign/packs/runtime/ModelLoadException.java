package org.sovereign.packs.runtime;

/**
 * A model could not be opened: a missing or unreadable configuration, a model file ONNX Runtime cannot load
 * (corrupt, truncated, or from an unsupported opset), or inputs and outputs that do not match what the code
 * running it (generation loop, embedding pooling) needs. The message says which.
 */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
