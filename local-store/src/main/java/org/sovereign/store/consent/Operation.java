package org.sovereign.store.consent;

import java.util.Locale;

/** What a consent may allow the workstation to do with the covered sources. */
public enum Operation {
    /** Extract and store text of the sources in the vault. */
    INDEX,
    /** Compute embeddings of that text with a model pack. */
    EMBED,
    /** Use that text in prompts to a text-generation model. */
    GENERATE,
    /** Send data derived from the sources to mesh peers. */
    SHARE;

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code index}, {@code embed}, {@code generate} or {@code share}. */
    public static Operation fromJson(String name) {
        for (Operation op : values()) {
            if (op.jsonName().equals(name)) {
                return op;
            }
        }
        throw new IllegalArgumentException("Unknown operation '" + name + "'; expected one of index, embed, generate, share.");
    }
}
