package org.sovereign.packs.generation;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.platform.Fp16Conversions;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
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
 *
 * <p>float16 models (fp16, q4f16 exports): the cache stays float16 inside ONNX Runtime as it is (only the empty
 * first-step tensors are made here, as float16), and the float16 logits row is widened to float exactly
 * ({@link Fp16Conversions#fp16ToFloat}), so the sampler sees the very values the model produced.
 */
final class KvCacheDecoder implements AutoCloseable {

    private final OnnxDecoderModel model;
    private final DecoderSignature signature;
    private final int vocab;
    private final Set<String> presentNames;
    private final List<OnnxTensor> emptyPast = new ArrayList<>();
    private OrtSession.Result previous;
    private OnnxTensor singleStepLogits;
    /** A FloatBuffer, or a ShortBuffer of float16 values when the model's logits are float16. */
    private Buffer singleStepLogitsBuffer;
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
            Buffer logitsBuffer;
            if (newIds.length == 1) {
                ensureSingleStepLogits();
                logits = singleStepLogits;
                logitsBuffer = singleStepLogitsBuffer;
            } else {
                logitsBuffer = logitsBuffer((long) newIds.length * vocab);
                logits = logitsTensor(logitsBuffer, newIds.length);
            }
            OrtSession.Result result = model.session().run(inputs, presentNames,
                    Map.of(DecoderSignature.LOGITS, logits));
            if (previous != null) {
                previous.close();
            }
            previous = result;
            cachedLength = total;
            float[] row = new float[vocab];
            int offset = (newIds.length - 1) * vocab;
            if (logitsBuffer instanceof FloatBuffer floats) {
                floats.get(offset, row);
            } else {
                ShortBuffer halves = (ShortBuffer) logitsBuffer;
                for (int i = 0; i < vocab; i++) {
                    row[i] = Fp16Conversions.fp16ToFloat(halves.get(offset + i));
                }
            }
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
                long[] shape = {1, config.kvHeads(), 0, config.headDim()};
                for (int i = 0; i < signature.pastNames().size(); i++) {
                    emptyPast.add(signature.halfCache()
                            ? OnnxTensor.createTensor(model.environment(), directShorts(0), shape, OnnxJavaType.FLOAT16)
                            : OnnxTensor.createTensor(model.environment(), directFloats(0), shape));
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
            singleStepLogitsBuffer = logitsBuffer(vocab);
            singleStepLogits = logitsTensor(singleStepLogitsBuffer, 1);
        }
    }

    private Buffer logitsBuffer(long count) {
        return signature.halfLogits() ? directShorts(count) : directFloats(count);
    }

    private OnnxTensor logitsTensor(Buffer buffer, int positions) throws OrtException {
        long[] shape = {1, positions, vocab};
        return buffer instanceof ShortBuffer halves
                ? OnnxTensor.createTensor(model.environment(), halves, shape, OnnxJavaType.FLOAT16)
                : OnnxTensor.createTensor(model.environment(), (FloatBuffer) buffer, shape);
    }

    private static ShortBuffer directShorts(long count) {
        return ByteBuffer.allocateDirect(Math.toIntExact(count * Short.BYTES)).order(ByteOrder.nativeOrder())
                .asShortBuffer();
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
