package org.sovereign.packs.runtime;

import java.util.Objects;

/**
 * What one loaded model actually got from ONNX Runtime.
 *
 * @param executionProvider {@code CPU} or {@code CUDA}
 * @param intraOpThreads    the intra-op thread count the session was created with
 * @param note              why a GPU was not used (empty when it was, or when none was asked for)
 */
public record RuntimeChoice(String executionProvider, int intraOpThreads, String note) {

    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";

    public RuntimeChoice {
        Objects.requireNonNull(executionProvider, "executionProvider");
        note = note == null ? "" : note;
    }

    /** E.g. {@code CPU, 2 threads}. */
    public String describe() {
        return executionProvider + ", " + intraOpThreads + (intraOpThreads == 1 ? " thread" : " threads");
    }
}
