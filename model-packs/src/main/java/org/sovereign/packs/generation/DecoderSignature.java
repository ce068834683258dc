package org.sovereign.packs.generation;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.TensorInfo;
import org.sovereign.packs.runtime.ModelLoadException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The input and output names of a decoder-only ONNX model in the Hugging Face/Optimum layout, checked against the
 * session: {@code input_ids}, {@code attention_mask}, optional {@code position_ids},
 * {@code past_key_values.{i}.key|value} of shape (batch, kv heads, past length, head dim) in float32 or float16 (all
 * alike); outputs {@code logits} (float32 or float16) and {@code present.{i}.key|value}.
 *
 * @param halfCache  the cache tensors are float16 (fp16 and q4f16 exports)
 * @param halfLogits the logits are float16
 */
record DecoderSignature(boolean hasPositionIds, List<String> pastNames, List<String> presentNames, int logitsWidth,
                        boolean halfCache, boolean halfLogits) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String POSITION_IDS = "position_ids";
    static final String LOGITS = "logits";

    DecoderSignature {
        pastNames = List.copyOf(pastNames);
        presentNames = List.copyOf(presentNames);
    }

    /**
     * Checks the session's inputs and outputs against {@code config}.
     *
     * @throws ModelLoadException naming every mismatch found
     */
    static DecoderSignature check(Map<String, NodeInfo> inputs, Map<String, NodeInfo> outputs, DecoderConfig config) {
        List<String> problems = new ArrayList<>();
        Set<String> expectedInputs = new LinkedHashSet<>(List.of(INPUT_IDS, ATTENTION_MASK));
        List<String> past = new ArrayList<>();
        List<String> present = new ArrayList<>();
        for (int i = 0; i < config.layers(); i++) {
            for (String kind : List.of("key", "value")) {
                past.add("past_key_values." + i + "." + kind);
                present.add("present." + i + "." + kind);
            }
        }
        expectedInputs.addAll(past);
        boolean hasPositionIds = inputs.containsKey(POSITION_IDS);
        for (String name : expectedInputs) {
            if (!inputs.containsKey(name)) {
                problems.add("missing input '" + name + "'");
            }
        }
        for (String name : inputs.keySet()) {
            if (!expectedInputs.contains(name) && !name.equals(POSITION_IDS)) {
                problems.add("unexpected input '" + name + "'");
            }
        }
        for (String name : List.of(INPUT_IDS, ATTENTION_MASK, POSITION_IDS)) {
            checkType(inputs.get(name), OnnxJavaType.INT64, problems);
        }
        boolean halfCache = isHalf(inputs.get(past.isEmpty() ? null : past.get(0)));
        for (String name : past) {
            checkKvShape(inputs.get(name), config, halfCache ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT, problems);
        }
        for (String name : present) {
            checkType(outputs.get(name), halfCache ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT, problems);
        }
        int logitsWidth = config.vocabSize();
        boolean halfLogits = isHalf(outputs.get(LOGITS));
        if (!outputs.containsKey(LOGITS)) {
            problems.add("missing output '" + LOGITS + "'");
        } else {
            checkType(outputs.get(LOGITS), halfLogits ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT, problems);
            if (outputs.get(LOGITS).getInfo() instanceof TensorInfo info) {
                long[] shape = info.getShape();
                if (shape.length != 3) {
                    problems.add("'" + LOGITS + "' has " + shape.length + " dimensions, expected 3");
                } else if (shape[2] > 0) {
                    logitsWidth = Math.toIntExact(shape[2]);
                }
            }
        }
        for (String name : present) {
            if (!outputs.containsKey(name)) {
                problems.add("missing output '" + name + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new ModelLoadException("The model does not have the decoder-with-KV-cache signature this loop runs ("
                    + config.layers() + " layers, " + config.kvHeads() + " key/value heads of size "
                    + config.headDim() + "): " + String.join("; ", problems));
        }
        return new DecoderSignature(hasPositionIds, past, present, logitsWidth, halfCache, halfLogits);
    }

    private static boolean isHalf(NodeInfo node) {
        return node != null && node.getInfo() instanceof TensorInfo info && info.type == OnnxJavaType.FLOAT16;
    }

    private static void checkType(NodeInfo node, OnnxJavaType expected, List<String> problems) {
        if (node == null) {
            return;
        }
        if (!(node.getInfo() instanceof TensorInfo info)) {
            problems.add("'" + node.getName() + "' is not a tensor");
        } else if (info.type != expected) {
            problems.add("'" + node.getName() + "' is " + info.type + ", expected " + expected);
        }
    }

    private static void checkKvShape(NodeInfo node, DecoderConfig config, OnnxJavaType type, List<String> problems) {
        if (node == null) {
            return;
        }
        checkType(node, type, problems);
        if (!(node.getInfo() instanceof TensorInfo info)) {
            return;
        }
        long[] shape = info.getShape();
        if (shape.length != 4) {
            problems.add("'" + node.getName() + "' has " + shape.length + " dimensions, expected 4");
        } else if ((shape[1] > 0 && shape[1] != config.kvHeads()) || (shape[3] > 0 && shape[3] != config.headDim())) {
            problems.add("'" + node.getName() + "' has shape " + Arrays.toString(shape)
                    + ", expected (batch, " + config.kvHeads() + ", past, " + config.headDim() + ")");
        }
    }
}
