package org.sovereign.packs.generation;

/**
 * How ONNX Runtime runs a decoder.
 *
 * @param intraOpThreads threads for one operator; must be positive
 */
public record DecoderOptions(int intraOpThreads) {

    public DecoderOptions {
        if (intraOpThreads <= 0) {
            throw new IllegalArgumentException("intraOpThreads must be positive, was " + intraOpThreads);
        }
    }

    /** One intra-op thread per available processor. */
    public static DecoderOptions defaults() {
        return new DecoderOptions(Runtime.getRuntime().availableProcessors());
    }
}
