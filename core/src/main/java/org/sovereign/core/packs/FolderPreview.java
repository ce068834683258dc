package org.sovereign.core.packs;

import org.sovereign.packs.importer.HfModelFolder;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.importer.VariantChoice;

import java.util.List;

/**
 * A Hugging Face ONNX folder as a person sees it before importing it: every variant with its size, whether it fits
 * this computer, and the variant importing takes when nobody chooses.
 *
 * @param found    the folder's layout and variants
 * @param variants each variant with its fit, in listing order
 * @param choice   the best fit for this computer, with the reason in one sentence
 */
public record FolderPreview(HfModelFolder found, List<Variant> variants, VariantChoice choice) {

    public FolderPreview {
        variants = List.copyOf(variants);
    }

    /**
     * One variant and how it suits this computer.
     *
     * @param variant the variant (key, file, precision, size, memory estimate)
     * @param memory  its memory need against this computer's memory
     * @param cpu     what its number format means on this CPU, one plain phrase
     * @param problem why it cannot be imported (a missing or unreadable file), or null
     */
    public record Variant(ModelVariant variant, MemoryFit memory, String cpu, String problem) {

        /** True when it can be imported. */
        public boolean usable() {
            return problem == null;
        }
    }

    /** The entry of {@link #variants} for the default choice. */
    public Variant preselected() {
        return variants.stream().filter(v -> v.variant().equals(choice.variant())).findFirst().orElseThrow();
    }
}
