package org.sovereign.packs.runtime;

import com.sun.management.OperatingSystemMXBean;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The facts about this machine that decide how models run: CPU cores, vector instruction sets and memory.
 * Read once, when {@link #detect()} is called; nothing is cached globally.
 *
 * @param logicalCores  processors available to this JVM
 * @param simdFeatures  vector instruction sets the CPU reports (for example avx2, avx512f, neon); empty when unknown
 * @param totalMemoryBytes physical memory, or -1 when the platform does not say
 * @param freeMemoryBytes  free physical memory, or -1 when the platform does not say
 */
public record HardwareProfile(int logicalCores, List<String> simdFeatures, long totalMemoryBytes, long freeMemoryBytes) {

    /** Feature flags worth reporting, in the order they are shown. Names as the Linux kernel spells them. */
    private static final List<String> INTERESTING_FLAGS = List.of(
            "sse4_2", "avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni", "amx_tile",
            "neon", "asimd", "asimddp", "sve", "i8mm");

    public HardwareProfile {
        simdFeatures = List.copyOf(simdFeatures);
    }

    public static HardwareProfile detect() {
        int cores = Runtime.getRuntime().availableProcessors();
        long total = -1;
        long free = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            total = os.getTotalMemorySize();
            free = os.getFreeMemorySize();
        }
        return new HardwareProfile(cores, readCpuFlags(Path.of("/proc/cpuinfo")), total, free);
    }

    /**
     * The interesting SIMD flags from a Linux-style cpuinfo file ({@code flags} on x86, {@code Features} on ARM).
     * Returns an empty list when the file does not exist (macOS, Windows) or cannot be read.
     */
    static List<String> readCpuFlags(Path cpuinfo) {
        if (!Files.isReadable(cpuinfo)) {
            return List.of();
        }
        try (var lines = Files.lines(cpuinfo)) {
            Set<String> present = lines
                    .filter(l -> {
                        String key = l.split(":", 2)[0].trim().toLowerCase(Locale.ROOT);
                        return key.equals("flags") || key.equals("features");
                    })
                    .findFirst()
                    .map(l -> Set.of(l.split(":", 2)[1].trim().toLowerCase(Locale.ROOT).split("\\s+")))
                    .orElse(Set.of());
            List<String> result = new ArrayList<>();
            for (String flag : INTERESTING_FLAGS) {
                if (present.contains(flag)) {
                    result.add(flag);
                }
            }
            return result;
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** Threads for ONNX Runtime's intra-op pool: all cores normally, half of them (at least one) in low-power mode. */
    public int inferenceThreads(boolean lowPower) {
        return lowPower ? Math.max(1, logicalCores / 2) : logicalCores;
    }
}
