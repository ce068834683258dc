package org.sovereign.packs.importer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * One ONNX file of a Hugging Face model folder, with what it takes to run it.
 *
 * @param key               the name to choose it by: {@code fp32} for {@code model.onnx}, otherwise the file name
 *                          without {@code model_} and {@code .onnx} ({@code q4}, {@code int8}, {@code quantized}, ...)
 * @param file              the ONNX file
 * @param precision         its number format
 * @param externalData      the external-data files its tensors name ({@code location}, relative to the ONNX file)
 * @param missingData       those of {@link #externalData} that are absent or shorter than the tensors need
 * @param sizeBytes         the ONNX file plus its external-data files
 * @param ramEstimateBytes  memory needed to run it (weights as ONNX Runtime holds them, a 2048-token cache, overhead)
 * @param needs             operators and formats it relies on, in words ("MatMulNBits (4-bit weights)", ...)
 * @param readable          false when the file could not be read as an ONNX model (it is listed by its name only)
 */
public record ModelVariant(String key, Path file, Precision precision, List<String> externalData,
                           List<String> missingData, long sizeBytes, long ramEstimateBytes, List<String> needs,
                           boolean readable) {

    public ModelVariant {
        externalData = List.copyOf(externalData);
        missingData = List.copyOf(missingData);
        needs = List.copyOf(needs);
    }

    /** Readable and with all its external-data files: a candidate for the default choice. */
    public boolean usable() {
        return readable && missingData.isEmpty();
    }

    /** The ONNX file's name, e.g. {@code model_q4.onnx}. */
    public String fileName() {
        return file.getFileName().toString();
    }

    /** One line for listings: key, file, size, precision, memory estimate and needs. */
    public String describe() {
        return String.format(Locale.ROOT, "%-10s %-22s %9s  %-6s needs about %s of memory; %s", key, fileName(),
                bytes(sizeBytes), precision.label(), memory(ramEstimateBytes), String.join(", ", needs));
    }

    /** Memory in binary units, as operating systems show it (MiB, GiB). */
    public static String memory(long n) {
        if (n >= 1L << 30) {
            return String.format(Locale.ROOT, "%.1f GiB", n / (double) (1L << 30));
        }
        return String.format(Locale.ROOT, "%.0f MiB", Math.ceil(n / (double) (1L << 20)));
    }

    /** Human size in decimal units (kB, MB, GB). */
    public static String bytes(long n) {
        if (n >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
        }
        if (n >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
    }
}
