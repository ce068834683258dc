package org.sovereign.core.packs;

import org.sovereign.packs.runtime.HardwareProfile;

import java.util.Locale;

/**
 * Whether a pack fits this computer's memory, in plain words. A pack needs its manifest's RAM estimate (or, when the
 * manifest gives none, its file size plus a fifth for the runtime's working memory). It is "too large" above three
 * quarters of the physical memory (the system and the workstation need the rest), "tight" above half of it or above
 * what is free right now, and "fits" otherwise.
 *
 * @param verdict   FITS, TIGHT, TOO_LARGE or UNKNOWN
 * @param needBytes the memory the pack is expected to need
 * @param text      one plain phrase, e.g. "fits (needs about 40 MB of 16.0 GB)"
 */
public record MemoryFit(Verdict verdict, long needBytes, String text) {

    /** The four answers. */
    public enum Verdict { FITS, TIGHT, TOO_LARGE, UNKNOWN }

    /** The memory a pack is expected to need: its RAM estimate, else its files plus 20 %. */
    public static long need(long ramEstimateBytes, long fileBytes) {
        return ramEstimateBytes > 0 ? ramEstimateBytes : fileBytes + fileBytes / 5;
    }

    public static MemoryFit of(long needBytes, HardwareProfile hardware) {
        long total = hardware.totalMemoryBytes();
        long free = hardware.freeMemoryBytes();
        String need = "needs about " + memory(needBytes);
        if (total <= 0) {
            return new MemoryFit(Verdict.UNKNOWN, needBytes, "unknown: this system does not report its memory ("
                    + need + ")");
        }
        if (needBytes > total / 4 * 3) {
            return new MemoryFit(Verdict.TOO_LARGE, needBytes, "too large for this computer (" + need + "; it has "
                    + memory(total) + ")");
        }
        if (needBytes > total / 2 || (free >= 0 && needBytes > free)) {
            return new MemoryFit(Verdict.TIGHT, needBytes, "tight (" + need + "; " + memory(Math.max(0, free))
                    + " free of " + memory(total) + " right now)");
        }
        return new MemoryFit(Verdict.FITS, needBytes, "fits (" + need + " of " + memory(total) + ")");
    }

    /**
     * Memory in the one unit used for memory everywhere (as the system checks show it): "0.09 GiB", "15.5 GiB".
     * File sizes use {@link #size}.
     */
    public static String memory(long bytes) {
        double gib = bytes / (double) (1L << 30);
        return String.format(Locale.ROOT, gib >= 1 ? "%.1f GiB" : "%.2f GiB", gib);
    }

    /** Decimal units, as file managers show sizes: "23.4 MB", "1.2 GB". */
    public static String size(long bytes) {
        if (bytes >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
        }
        if (bytes >= 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        }
        if (bytes >= 1_000L) {
            return String.format(Locale.ROOT, "%.0f kB", bytes / 1e3);
        }
        return bytes + " bytes";
    }
}
