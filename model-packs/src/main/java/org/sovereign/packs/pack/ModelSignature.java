package org.sovereign.packs.pack;

import java.util.List;

/**
 * The model's family and input/output signature, enough for the runtime to pick a code path.
 *
 * @param family       e.g. {@code llama}, {@code qwen2}, {@code bert}
 * @param modelFile    pack path of the ONNX graph
 * @param inputs       ONNX input names, in order
 * @param outputs      ONNX output names, in order
 */
public record ModelSignature(String family, String modelFile, List<String> inputs, List<String> outputs) {
    public ModelSignature {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
    }
}
