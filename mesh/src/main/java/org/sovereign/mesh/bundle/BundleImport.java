package org.sovereign.mesh.bundle;

import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;

import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What importing a bundle did to this member's logs.
 *
 * @param exporter       the exporting member's key
 * @param receipts       how many of the bundle's records had each outcome (as if received from a peer)
 * @param gaps           per author whose records could not be applied for want of earlier ones: the first place held
 *                       in the bundle and the place this member holds
 * @param newlyFrozen    authors frozen by an equivocation the bundle showed
 * @param ownHeld        how far this member holds its own log after the import
 * @param ownPublished   how far peers were seen to hold this member's own log (0 when never seen)
 */
public record BundleImport(String exporter, Map<Receipt, Long> receipts, Map<String, long[]> gaps,
                           Set<String> newlyFrozen, long ownHeld, long ownPublished) {

    public BundleImport {
        receipts = Collections.unmodifiableMap(new EnumMap<>(receipts.isEmpty() ? new EnumMap<>(Receipt.class) : receipts));
        gaps = Collections.unmodifiableMap(new LinkedHashMap<>(gaps));
        newlyFrozen = Set.copyOf(newlyFrozen);
    }

    /**
     * Applies a bundle that {@link MeshBundle#read} accepted to {@code log}: every record is received as if a peer had
     * sent it (so the logs end as the network path leaves them, an equivocation freezes its author, a second import
     * only finds duplicates), and the exporter's heads are remembered as what it holds.
     *
     * @throws BundleException when the bundle belongs to another cooperative (then nothing was applied)
     */
    public static BundleImport apply(MeshLog log, MeshBundle bundle) {
        BundleManifest manifest = bundle.manifest();
        if (!manifest.coop().equals(log.coop())) {
            throw new BundleException(BundleException.Reason.OTHER_COOPERATIVE, "The bundle holds the records of "
                    + "cooperative " + manifest.coop() + ", not of " + log.coop() + ", which this workstation belongs to.");
        }
        Set<String> frozenBefore = new TreeSet<>(log.frozen().keySet());
        Map<Receipt, Long> receipts = new EnumMap<>(Receipt.class);
        Map<String, long[]> gaps = new LinkedHashMap<>();
        for (LogRecord record : bundle.records()) {
            Receipt receipt = log.receive(record);
            receipts.merge(receipt, 1L, Long::sum);
            if (receipt == Receipt.GAP && !gaps.containsKey(record.author())) {
                gaps.put(record.author(), new long[]{record.seq(),
                        log.heads().containsKey(record.author()) ? log.heads().get(record.author()).seq() : 0});
            }
        }
        log.seenFrom(manifest.exporter(), manifest.heads());
        Set<String> frozen = new TreeSet<>(log.frozen().keySet());
        frozen.removeAll(frozenBefore);
        LogHead own = log.heads().get(log.self());
        return new BundleImport(manifest.exporter(), receipts, gaps, frozen, own == null ? 0 : own.seq(),
                log.ownPublishedHead());
    }

    /** How many records had {@code receipt}. */
    public long count(Receipt receipt) {
        return receipts.getOrDefault(receipt, 0L);
    }

    /** How many records were refused (malformed, forged, unadmitted, broken, frozen, equivocating). */
    public long refused() {
        return receipts.entrySet().stream().filter(e -> e.getKey().refused()).mapToLong(Map.Entry::getValue).sum();
    }

    /** Whether peers hold more of this member's own log than it does (a restored backup): it must not write yet. */
    public boolean behindOwnPublishedHead() {
        return ownPublished > ownHeld;
    }
}
