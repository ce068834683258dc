package org.sovereign.packs.generation;

/**
 * How ONNX Runtime runs a decoder.
 *
 * @param intraOpThreads threads for one operator; must be positive
 * @param spinning       whether ONNX Runtime's intra-op worker threads busy-wait for work between operators
 *                       (ONNX Runtime's own default) instead of sleeping; see docs/benchmarks.md for when each wins
 */
public record DecoderOptions(int intraOpThreads, boolean spinning) {

    /** ONNX Runtime's session setting for busy-waiting worker threads. */
    static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

    public DecoderOptions {
        if (intraOpThreads <= 0) {
            throw new IllegalArgumentException("intraOpThreads must be positive, was " + intraOpThreads);
        }
    }

    /** {@code intraOpThreads} threads with ONNX Runtime's default of spinning workers. */
    public DecoderOptions(int intraOpThreads) {
        this(intraOpThreads, true);
    }

    /** One intra-op thread per available processor. */
    public static DecoderOptions defaults() {
        return new DecoderOptions(Runtime.getRuntime().availableProcessors());
    }

    /** The same options with worker spinning on or off. */
    public DecoderOptions withSpinning(boolean on) {
        return new DecoderOptions(intraOpThreads, on);
    }
}
