package org.sovereign.packs.pack;

import java.util.List;

/** Default sampling settings for text generation. */
public record GenerationDefaults(int maxNewTokens, double temperature, double topP, List<String> stopTokens) {
    public GenerationDefaults {
        stopTokens = stopTokens == null ? List.of() : List.copyOf(stopTokens);
    }
}
