package org.sovereign.core.packs;

import org.sovereign.core.Version;
import org.sovereign.core.common.Progress;
import org.sovereign.packs.importer.HfModelFolder;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.importer.Precision;
import org.sovereign.packs.importer.VariantChoice;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.OperationCancelledException;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * Turning a Hugging Face ONNX folder (the onnx-community layout, or a flat one) into an unsigned {@code .mpack}:
 * one of its variants, chosen by the caller or the best fit for this machine. Works on files only; blocks while it
 * hashes and writes the archive.
 */
public final class PackImport {

    /** Imports a Hugging Face ONNX folder as a {@code .mpack} (the best-fit variant for this machine). */
    public PackManifest importFolder(Path folder, Path out, String name, String version, String licence, String source) {
        return importFolder(folder, out, new HfPackImporter.Options(name, version, licence, source),
                Progress.NONE).manifest();
    }

    /**
     * Imports a Hugging Face ONNX folder as a {@code .mpack}: the variant asked for in {@code options}, or the best fit.
     *
     * @throws CancellationException when {@code progress} is cancelled (nothing is written)
     */
    public HfPackImporter.Result importFolder(Path folder, Path out, HfPackImporter.Options options, Progress progress) {
        return PackFailures.translate(() -> {
            try {
                return new HfPackImporter(Version.current()).importFolder(folder, out, options,
                        ByteProgress.of(progress, "Importing"), progress::isCancelled);
            } catch (OperationCancelledException e) {
                throw new CancellationException("Import cancelled");
            }
        });
    }

    /** The layout and variants of a Hugging Face ONNX folder. */
    public HfModelFolder variants(Path folder) {
        return PackFailures.translate(() -> new HfPackImporter(Version.current()).inspect(folder));
    }

    /** The variant of {@code folder} that importing it without a choice takes, and why. */
    public VariantChoice defaultVariant(HfModelFolder folder) {
        return PackFailures.translate(() -> new HfPackImporter(Version.current()).choose(folder, null));
    }

    /**
     * The variants of a Hugging Face ONNX folder with their fit on {@code hardware} (memory needed against the
     * memory there is, and what each number format means on this CPU), and the default choice for it. Reads the
     * ONNX graphs, not the weights; refuses a folder that cannot be imported (no model, no tokenizer, a model split
     * into several graphs) with a plain sentence.
     */
    public FolderPreview preview(Path folder, HardwareProfile hardware) {
        HfModelFolder found = variants(folder);
        VariantChoice chosen = VariantChoice.choose(found.variants(), hardware);
        long need = chosen.variant().ramEstimateBytes();
        // memory in GiB, the one unit the window uses for memory
        VariantChoice choice = new VariantChoice(chosen.variant(), chosen.reason()
                .replace("about " + ModelVariant.memory(need), "about " + MemoryFit.memory(need)));
        List<FolderPreview.Variant> rows = found.variants().stream()
                .map(v -> new FolderPreview.Variant(v, MemoryFit.of(v.ramEstimateBytes(), hardware),
                        cpuNote(v.precision(), hardware), problem(v)))
                .toList();
        return new FolderPreview(found, rows, choice);
    }

    /** What a number format means on this CPU, in a phrase. */
    static String cpuNote(Precision precision, HardwareProfile hardware) {
        boolean fast = hardware.simdFeatures().stream().anyMatch(f -> f.equals("avx2") || f.equals("avx512f")
                || f.equals("neon") || f.equals("asimd"));
        String simd = String.join("/", hardware.simdFeatures().stream().filter(f -> f.equals("avx2")
                || f.equals("avx512f") || f.equals("neon") || f.equals("asimd")).toList()).toUpperCase(Locale.ROOT);
        return switch (precision) {
            case Q4 -> fast ? "4-bit weights; this CPU has " + simd + ", which makes them fast"
                    : "4-bit weights; slow on this CPU, which has neither AVX2 nor NEON";
            case Q4F16 -> "4-bit weights with a float16 cache; on x86 CPUs the float16 parts run slower, so prefer q4 "
                    + "where both exist";
            case FP16 -> "float16; ONNX Runtime has no float16 matrix kernels for x86 CPUs, so it runs slower than "
                    + "fp32 there";
            case INT8, UINT8 -> "8-bit weights; run on any 64-bit CPU";
            case FP32 -> "full precision (not quantized); runs on any CPU but is the largest";
            case BNB4 -> "4-bit bitsandbytes format, made for graphics cards; on a CPU prefer q4";
        };
    }

    private static String problem(ModelVariant v) {
        if (!v.readable()) {
            return v.fileName() + " could not be read as an ONNX model.";
        }
        if (!v.missingData().isEmpty()) {
            return "Its weights file '" + v.missingData().get(0) + "' is missing or incomplete.";
        }
        return null;
    }
}
