package org.sovereign.packs.generation;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key/value cache of one sequence being generated, kept in ONNX Runtime's memory.
 *
 * <p>Each {@link #step(long[])} feeds the new tokens plus the previous step's {@code present.*} tensors (as
 * {@code past_key_values.*}) and keeps the new {@code present.*} tensors for the next step, closing the old ones.
 * The cache never enters Java arrays. Logits are written by ONNX Runtime into a direct buffer this class owns, and
 * only the last position's row is copied out. Not thread-safe; {@link #close()} frees every native tensor it holds.
 */
final class KvCacheDecoder implements AutoCloseable {

    private final OnnxDecoderModel model;
    private final DecoderSignature signature;
    private final int vocab;
    private final Set<String> presentNames;
    private final List<OnnxTensor> emptyPast = new ArrayList<>();
    private OrtSession.Result previous;
    private OnnxTensor singleStepLogits;
    private FloatBuffer singleStepLogitsBuffer;
    private int cachedLength;

    KvCacheDecoder(OnnxDecoderModel model) {
        this.model = model;
        this.signature = model.signature();
        this.vocab = signature.logitsWidth();
        this.presentNames = new LinkedHashSet<>(signature.presentNames());
    }

    /** Tokens already in the cache. */
    int cachedLength() {
        return cachedLength;
    }

    /**
     * Runs the model on {@code newIds}, which follow the cached tokens, and returns the logits row of the last one.
     * Blocks for the duration of one forward pass.
     */
    float[] step(long[] newIds) throws OrtException {
        int total = cachedLength + newIds.length;
        Map<String, OnnxTensor> owned = new HashMap<>();
        OnnxTensor logits = null;
        try {
            owned.put(DecoderSignature.INPUT_IDS, longTensor(newIds, 1, newIds.length));
            long[] mask = new long[total];
            Arrays.fill(mask, 1L);
            owned.put(DecoderSignature.ATTENTION_MASK, longTensor(mask, 1, total));
            if (signature.hasPositionIds()) {
                long[] positions = new long[newIds.length];
                for (int i = 0; i < positions.length; i++) {
                    positions[i] = cachedLength + i;
                }
                owned.put(DecoderSignature.POSITION_IDS, longTensor(positions, 1, positions.length));
            }
            Map<String, OnnxTensor> inputs = new HashMap<>(owned);
            for (int i = 0; i < signature.pastNames().size(); i++) {
                inputs.put(signature.pastNames().get(i), pastTensor(i));
            }
            FloatBuffer logitsBuffer;
            if (newIds.length == 1) {
                ensureSingleStepLogits();
                logits = singleStepLogits;
                logitsBuffer = singleStepLogitsBuffer;
            } else {
                logitsBuffer = directFloats((long) newIds.length * vocab);
                logits = OnnxTensor.createTensor(model.environment(), logitsBuffer, new long[]{1, newIds.length, vocab});
            }
            OrtSession.Result result = model.session().run(inputs, presentNames,
                    Map.of(DecoderSignature.LOGITS, logits));
            if (previous != null) {
                previous.close();
            }
            previous = result;
            cachedLength = total;
            float[] row = new float[vocab];
            logitsBuffer.get((newIds.length - 1) * vocab, row);
            return row;
        } finally {
            for (OnnxTensor t : owned.values()) {
                t.close();
            }
            if (logits != null && logits != singleStepLogits) {
                logits.close();
            }
        }
    }

    private OnnxTensor pastTensor(int index) throws OrtException {
        if (previous == null) {
            if (emptyPast.isEmpty()) {
                DecoderConfig config = model.config();
                for (int i = 0; i < signature.pastNames().size(); i++) {
                    emptyPast.add(OnnxTensor.createTensor(model.environment(), directFloats(0),
                            new long[]{1, config.kvHeads(), 0, config.headDim()}));
                }
            }
            return emptyPast.get(index);
        }
        String present = signature.presentNames().get(index);
        OnnxValue value = previous.get(present).orElseThrow(
                () -> new IllegalStateException("ONNX Runtime returned no '" + present + "'"));
        return (OnnxTensor) value;
    }

    private void ensureSingleStepLogits() throws OrtException {
        if (singleStepLogits == null) {
            singleStepLogitsBuffer = directFloats(vocab);
            singleStepLogits = OnnxTensor.createTensor(model.environment(), singleStepLogitsBuffer,
                    new long[]{1, 1, vocab});
        }
    }

    private OnnxTensor longTensor(long[] values, long rows, long columns) throws OrtException {
        return OnnxTensor.createTensor(model.environment(), LongBuffer.wrap(values), new long[]{rows, columns});
    }

    private static FloatBuffer directFloats(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Float.BYTES)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
        emptyPast.forEach(OnnxTensor::close);
        emptyPast.clear();
        if (singleStepLogits != null) {
            singleStepLogits.close();
            singleStepLogits = null;
        }
    }
}
