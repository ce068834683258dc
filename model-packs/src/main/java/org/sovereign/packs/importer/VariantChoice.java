package org.sovereign.packs.importer;

import org.sovereign.packs.runtime.HardwareProfile;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Which variant of a model folder to import, and why, in one line.
 *
 * <p>The default rule: only variants whose memory estimate fits in half of this machine's memory are candidates
 * (all of them when the memory is unknown). Among those, the first in this order: on a CPU with AVX2, AVX-512 or
 * NEON, {@code q4} (MatMulNBits), then 8-bit ({@code int8}, {@code uint8}), then {@code fp32}, then the float16 kinds
 * ({@code q4f16}, {@code fp16}: ONNX Runtime's CPU kernels widen most float16 work to float32, so they are slower
 * there) and {@code bnb4}; without those instruction sets the 8-bit variants come first and {@code q4} after
 * {@code fp32}. When nothing fits, the variant with the smallest estimate. Variants that cannot be read or lack an
 * external-data file are never the default.
 *
 * @param variant the chosen variant
 * @param reason  one plain sentence saying why
 */
public record VariantChoice(ModelVariant variant, String reason) {

    private static final List<Precision> FAST_SIMD_ORDER = List.of(Precision.Q4, Precision.INT8, Precision.UINT8,
            Precision.FP32, Precision.Q4F16, Precision.FP16, Precision.BNB4);
    private static final List<Precision> PLAIN_ORDER = List.of(Precision.INT8, Precision.UINT8, Precision.FP32,
            Precision.Q4, Precision.Q4F16, Precision.FP16, Precision.BNB4);

    /** Whether the CPU has the vector instructions ONNX Runtime's 4-bit kernels are fast with. */
    static boolean fastFourBit(HardwareProfile hardware) {
        return hardware.simdFeatures().stream().anyMatch(f -> f.equals("avx2") || f.equals("avx512f")
                || f.equals("neon") || f.equals("asimd"));
    }

    /** The default choice for this machine (see the class comment for the rule). */
    public static VariantChoice choose(List<ModelVariant> variants, HardwareProfile hardware) {
        if (variants.isEmpty()) {
            throw new IllegalArgumentException("no variants");
        }
        if (variants.size() == 1) {
            return new VariantChoice(variants.get(0), "it is the only variant in the folder.");
        }
        List<ModelVariant> usable = variants.stream().filter(ModelVariant::usable).toList();
        if (usable.isEmpty()) {
            return new VariantChoice(variants.get(0), variants.get(0).key()
                    + " was taken, though no variant is complete and readable.");
        }
        if (usable.size() == 1) {
            return new VariantChoice(usable.get(0), usable.get(0).key()
                    + " is the only variant that is complete and readable.");
        }
        boolean fast = fastFourBit(hardware);
        List<Precision> order = fast ? FAST_SIMD_ORDER : PLAIN_ORDER;
        long total = hardware.totalMemoryBytes();
        long budget = total > 0 ? total / 2 : Long.MAX_VALUE;
        String cpu = fast ? "this CPU has " + simd(hardware) : "this CPU has neither AVX2 nor NEON";
        String memory = total > 0 ? "half of this machine's " + ModelVariant.memory(total) + " of memory"
                : "the memory (its size is unknown)";
        for (Precision p : order) {
            for (ModelVariant v : usable) {
                if (v.precision() == p && v.ramEstimateBytes() <= budget) {
                    return new VariantChoice(v, String.format(Locale.ROOT,
                            "%s is the best fit: %s, and it needs about %s, within %s.", v.key(),
                            cpu, ModelVariant.memory(v.ramEstimateBytes()), memory));
                }
            }
        }
        ModelVariant smallest = usable.stream().min(Comparator.comparingLong(ModelVariant::ramEstimateBytes)
                .thenComparing(ModelVariant::key)).orElseThrow();
        return new VariantChoice(smallest, String.format(Locale.ROOT,
                "%s needs the least memory (about %s); no variant fits in %s.", smallest.key(),
                ModelVariant.memory(smallest.ramEstimateBytes()), memory));
    }

    /**
     * The variant the person asked for: its key ({@code q4}, {@code int8}, {@code quantized}, {@code fp32}, ...), its
     * precision when only one variant has it, or its file name.
     *
     * @throws ImportException naming the variants there are, when none matches
     */
    public static ModelVariant pick(HfModelFolder folder, String requested) {
        String want = requested.strip().toLowerCase(Locale.ROOT);
        for (ModelVariant v : folder.variants()) {
            if (v.key().equals(want) || v.fileName().toLowerCase(Locale.ROOT).equals(want)) {
                return v;
            }
        }
        List<ModelVariant> byPrecision = folder.variants().stream().filter(v -> v.precision().label().equals(want))
                .toList();
        if (byPrecision.size() == 1) {
            return byPrecision.get(0);
        }
        throw new ImportException("There is no variant '" + requested + "' in " + folder.modelDir()
                + "; choose one of: " + String.join(", ", folder.keys()) + ".");
    }

    private static String simd(HardwareProfile hardware) {
        return String.join("/", hardware.simdFeatures().stream().filter(f -> f.equals("avx2") || f.equals("avx512f")
                || f.equals("neon") || f.equals("asimd")).toList()).toUpperCase(Locale.ROOT);
    }
}
