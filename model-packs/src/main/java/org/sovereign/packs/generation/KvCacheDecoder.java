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
 * only the last position's row is copied out. One-token steps feed input ids, positions and the attention mask from
 * reused direct buffers, which ONNX Runtime reads in place (no per-token copy of the inputs). Not thread-safe; {@link #close()} frees every native tensor it holds.
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
    /** All ones, at least as long as the attention mask; the mask tensor is a zero-copy view of its head. */
    private LongBuffer ones = directLongs(0);
    /** One-token steps reuse these: ONNX Runtime reads the direct buffers in place, so no copy per token. */
    private LongBuffer singleId;
    private LongBuffer singlePosition;
    private OnnxTensor singleIdTensor;
    private OnnxTensor singlePositionTensor;
    private final Map<String, OnnxTensor> inputs = new HashMap<>();
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
        List<OnnxTensor> owned = new ArrayList<>(3);
        OnnxTensor logits = null;
        inputs.clear();
        try {
            if (newIds.length == 1) {
                ensureSingleStepInputs();
                singleId.put(0, newIds[0]);
                singlePosition.put(0, cachedLength);
                inputs.put(DecoderSignature.INPUT_IDS, singleIdTensor);
                if (signature.hasPositionIds()) {
                    inputs.put(DecoderSignature.POSITION_IDS, singlePositionTensor);
                }
            } else {
                OnnxTensor ids = longTensor(newIds, 1, newIds.length);
                owned.add(ids);
                inputs.put(DecoderSignature.INPUT_IDS, ids);
                if (signature.hasPositionIds()) {
                    long[] positions = new long[newIds.length];
                    for (int i = 0; i < positions.length; i++) {
                        positions[i] = cachedLength + i;
                    }
                    OnnxTensor positionIds = longTensor(positions, 1, positions.length);
                    owned.add(positionIds);
                    inputs.put(DecoderSignature.POSITION_IDS, positionIds);
                }
            }
            OnnxTensor mask = OnnxTensor.createTensor(model.environment(), ones(total), new long[]{1, total});
            owned.add(mask);
            inputs.put(DecoderSignature.ATTENTION_MASK, mask);
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
            inputs.clear();
            for (OnnxTensor t : owned) {
                t.close();
            }
            if (logits != null && logits != singleStepLogits) {
                logits.close();
            }
        }
    }

    /** A direct buffer of {@code count} ones (a view of {@link #ones}, grown by doubling). */
    private LongBuffer ones(int count) {
        if (ones.capacity() < count) {
            ones = directLongs(Math.max(count, ones.capacity() * 2));
            for (int i = 0; i < ones.capacity(); i++) {
                ones.put(i, 1L);
            }
        }
        return ones.duplicate().position(0).limit(count).slice();
    }

    private void ensureSingleStepInputs() throws OrtException {
        if (singleIdTensor == null) {
            singleId = directLongs(1);
            singlePosition = directLongs(1);
            singleIdTensor = OnnxTensor.createTensor(model.environment(), singleId, new long[]{1, 1});
            singlePositionTensor = OnnxTensor.createTensor(model.environment(), singlePosition, new long[]{1, 1});
        }
    }

    private static LongBuffer directLongs(int count) {
        return ByteBuffer.allocateDirect(count * Long.BYTES).order(ByteOrder.nativeOrder()).asLongBuffer();
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
        if (singleIdTensor != null) {
            singleIdTensor.close();
            singlePositionTensor.close();
            singleIdTensor = null;
            singlePositionTensor = null;
        }
    }
}
