package org.sovereign.packs.pack;

import java.util.List;

/** Estimated RAM need and the ONNX Runtime execution providers the pack was tested with. */
public record HardwareNeeds(long ramEstimateBytes, List<String> executionProviders) {
    public HardwareNeeds {
        executionProviders = executionProviders == null ? List.of() : List.copyOf(executionProviders);
    }
}
