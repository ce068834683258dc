package org.sovereign.mesh.bundle;

import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.net.GuardedSocketFactory;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.fs.PrivateFiles;
import org.sovereign.store.vault.crypto.Hex;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exporting and importing USB bundles on an unlocked vault: the use cases behind {@code mesh export} and
 * {@code mesh import}. Exporting writes this member's copy of the cooperative's logs to a file the person carries to
 * another member, so it needs the same consent as sending them over the network (purpose {@code mesh}, operation
 * {@code share}). Importing checks the whole bundle before applying anything. Both are written to the audit log
 * (what, how many records, the file's SHA-256); a refused import too, with the reason.
 */
public final class MeshBundles {
    /** Audit entry: a bundle was written. */
    public static final String AUDIT_EXPORTED = "mesh.bundle_exported";
    /** Audit entry: a bundle was imported. */
    public static final String AUDIT_IMPORTED = "mesh.bundle_imported";
    /** Audit entry: a bundle was refused, nothing of it applied. */
    public static final String AUDIT_REJECTED = "mesh.bundle_rejected";

    private MeshBundles() {
    }

    /**
     * What an export wrote.
     *
     * @param file    the bundle
     * @param since   {@code all} or the key of the member it was made for
     * @param records how many records it holds
     * @param logs    of how many members' logs
     * @param bytes   the file's size
     * @param sha256  the file's SHA-256, lower-case hex
     */
    public record Exported(Path file, String since, int records, int logs, long bytes, String sha256) {
    }

    /**
     * What an import did, with the file's SHA-256.
     */
    public record Imported(BundleImport result, BundleManifest manifest, String sha256) {
    }

    /**
     * Writes a bundle of {@code coop}'s logs held in the vault to {@code out} (replacing it; readable by the owner
     * only): everything when {@code since} is {@code all}, else what the member {@code since} names (its key, or the
     * start of it, at least 8 hex digits) is known to lack.
     *
     * @throws BundleException when {@code consentId} does not cover sharing with the mesh now, the member is unknown or
     *                         ambiguous, or the bundle would be too large; nothing is written then
     */
    public static Exported export(LocalStore store, String coop, String since, String consentId, Path out, Clock clock) {
        requireShareConsent(store, consentId, clock);
        MeshLog log = open(store, coop, clock);
        String peer = since.equals("all") ? null : resolvePeer(log, since);
        MeshBundle bundle = MeshBundle.export(log, RecordSigner.of(store.session()), peer, clock.millis());
        Path target = out.toAbsolutePath();
        Path temp = null;
        try {
            Path folder = target.getParent();
            temp = Files.createTempFile(folder, ".bundle-", ".part", PrivateFiles.ownerOnly(folder));
            MessageDigest digest = sha256();
            try (OutputStream file = new java.security.DigestOutputStream(
                    new java.io.BufferedOutputStream(Files.newOutputStream(temp)), digest)) {
                bundle.writeTo(file);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            temp = null;
            Exported exported = new Exported(target, bundle.manifest().since(), bundle.records().size(),
                    bundle.manifest().logs().size(), Files.size(target), Hex.encode(digest.digest()));
            Map<String, String> refs = new TreeMap<>();
            refs.put("coop", coop);
            refs.put("consent", consentId);
            refs.put("since", exported.since());
            refs.put("records", Integer.toString(exported.records()));
            refs.put("logs", Integer.toString(exported.logs()));
            refs.put("bytes", Long.toString(exported.bytes()));
            refs.put("sha256", exported.sha256());
            refs.put("file", target.getFileName().toString());
            store.record(AUDIT_EXPORTED, refs);
            return exported;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // a leftover .part file is harmless
                }
            }
        }
    }

    /**
     * Checks the bundle {@code file} completely, then applies it to {@code coop}'s logs in the vault in one
     * transaction (see {@link BundleImport#apply}).
     *
     * @throws BundleException when the bundle is cut short, altered, invalid, too large or of another cooperative;
     *                         nothing of it was applied
     */
    public static Imported importFile(LocalStore store, String coop, Path file, Clock clock) {
        String sha256;
        MeshBundle bundle;
        try {
            sha256 = fileSha256(file);
            if (Files.size(file) > MeshBundle.MAX_BYTES) {
                throw new BundleException(BundleException.Reason.TOO_LARGE, "The file is larger than any mesh bundle "
                        + "can be (" + MeshBundle.MAX_BYTES / (1024 * 1024) + " MiB).");
            }
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
                bundle = MeshBundle.read(in);
            }
            if (!bundle.manifest().coop().equals(coop)) {
                throw new BundleException(BundleException.Reason.OTHER_COOPERATIVE, "The bundle holds the records of "
                        + "cooperative " + bundle.manifest().coop() + ", not of " + coop
                        + ", which this workstation belongs to.");
            }
        } catch (BundleException e) {
            rejected(store, coop, file, e);
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MeshLog log = open(store, coop, clock);
        BundleImport[] result = new BundleImport[1];
        store.session().inTransaction(() -> result[0] = BundleImport.apply(log, bundle));
        BundleImport done = result[0];
        Map<String, String> refs = new TreeMap<>();
        refs.put("coop", coop);
        refs.put("exporter", done.exporter());
        refs.put("since", bundle.manifest().since());
        refs.put("records", Integer.toString(bundle.records().size()));
        refs.put("appended", Long.toString(done.count(Receipt.APPENDED)));
        refs.put("duplicates", Long.toString(done.count(Receipt.DUPLICATE)));
        refs.put("refused", Long.toString(done.refused()));
        refs.put("gaps", Long.toString(done.count(Receipt.GAP)));
        refs.put("sha256", sha256);
        refs.put("file", file.getFileName().toString());
        store.record(AUDIT_IMPORTED, refs);
        return new Imported(done, bundle.manifest(), sha256);
    }

    private static void rejected(LocalStore store, String coop, Path file, BundleException e) {
        Map<String, String> refs = new TreeMap<>();
        refs.put("coop", coop);
        refs.put("file", file.getFileName().toString());
        try {
            refs.put("sha256", fileSha256(file));
        } catch (IOException unreadable) {
            // the reason says enough
        }
        refs.put("reason", e.getMessage());
        store.record(AUDIT_REJECTED, refs);
    }

    /** The cooperative's logs in the vault, as this member. */
    public static MeshLog open(LocalStore store, String coop, Clock clock) {
        return new MeshLog(coop, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), coop), clock);
    }

    /**
     * The member whose key is {@code prefix} or starts with it (at least 8 hex digits), among the members whose heads
     * were seen.
     */
    static String resolvePeer(MeshLog log, String prefix) {
        String wanted = prefix.toLowerCase(Locale.ROOT);
        if (!wanted.matches("[0-9a-f]{8,64}")) {
            throw new BundleException(BundleException.Reason.UNKNOWN_PEER, "A member is named by its key, or the "
                    + "first 8 or more of its hex digits, not '" + prefix + "'.");
        }
        List<String> matches = log.peerHeads().keySet().stream().filter(k -> k.startsWith(wanted)).sorted().toList();
        if (matches.isEmpty()) {
            throw new BundleException(BundleException.Reason.UNKNOWN_PEER, "No heads were seen from a member whose key "
                    + "starts with " + wanted + ", so what it lacks is not known.");
        }
        if (matches.size() > 1) {
            throw new BundleException(BundleException.Reason.AMBIGUOUS_PEER, "More than one member's key starts with "
                    + wanted + "; give more of it.");
        }
        return matches.get(0);
    }

    private static void requireShareConsent(LocalStore store, String consentId, Clock clock) {
        ConsentHistory history;
        try {
            history = store.consent().history(consentId);
        } catch (RuntimeException e) {
            throw new BundleException(BundleException.Reason.NO_CONSENT, "There is no consent " + consentId + ".");
        }
        if (!history.activeAt(clock.instant())) {
            throw new BundleException(BundleException.Reason.NO_CONSENT, "The consent " + consentId
                    + " is no longer in force.");
        }
        if (!history.terms().purposes().contains(GuardedSocketFactory.PURPOSE)
                || !history.terms().operations().contains(Operation.SHARE)) {
            throw new BundleException(BundleException.Reason.NO_CONSENT, "The consent " + consentId
                    + " does not cover sharing with the mesh (purpose 'mesh', operation 'share').");
        }
    }

    private static String fileSha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Hex.encode(digest.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
