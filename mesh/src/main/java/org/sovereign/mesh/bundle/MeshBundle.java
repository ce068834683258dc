package org.sovereign.mesh.bundle;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.vault.crypto.Hex;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A USB bundle (docs/mesh.md, "USB bundles"): one file with a member's copy of the cooperative's logs, or the part of
 * them another member lacks, for carrying where there is no network. Layout: the 8 bytes {@code SOVBUND\n}, the format
 * byte, the manifest's length (32-bit big-endian) and canonical JSON ({@link BundleManifest}), the exporter's Ed25519
 * signature (64 bytes) over {@link #DOMAIN} and the manifest, then the records section (per record a 32-bit length and
 * its wire form, in the manifest's order) and nothing after it. Pack chunks will follow the records in a later
 * format; format 1 holds none.
 *
 * <p>{@link #read} checks everything (sizes, counts, the signature, the records' digest, every record's form,
 * cooperative, signature and chain link within the bundle) before returning, so a bundle that reads is whole and as
 * its exporter signed it; whether its records fit the importer's logs is {@link MeshLog#receive}'s to say.
 */
public final class MeshBundle {
    /** The first bytes of every bundle. */
    public static final byte[] MAGIC = "SOVBUND\n".getBytes(StandardCharsets.US_ASCII);
    /** The format this version writes and reads. */
    public static final int FORMAT = 1;
    /** Prefix of the bytes the exporter signs: the format name and version and a newline. */
    public static final String DOMAIN = "sovereign-mesh-bundle/v1\n";
    /** The largest manifest, in bytes. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** The largest bundle of this format, in bytes. */
    public static final long MAX_BYTES = MAGIC.length + 1 + 4 + MAX_MANIFEST_BYTES + 64 + BundleManifest.MAX_RECORD_BYTES;
    private static final int SIGNATURE_SIZE = 64;

    private final BundleManifest manifest;
    private final byte[] manifestBytes;
    private final byte[] signature;
    private final List<LogRecord> records;

    private MeshBundle(BundleManifest manifest, byte[] manifestBytes, byte[] signature, List<LogRecord> records) {
        this.manifest = manifest;
        this.manifestBytes = manifestBytes;
        this.signature = signature;
        this.records = List.copyOf(records);
    }

    /**
     * Makes a bundle of what {@code log} holds, signed by {@code signer} (this member's key): every record when
     * {@code peer} is {@code null}, else what that member is known to lack, given the heads last seen from it (from
     * its head on in each log where its head differs from the record held at that place, so it finds the fork).
     *
     * @throws BundleException when no heads were seen from {@code peer}, or the bundle would exceed the format's limits
     */
    public static MeshBundle export(MeshLog log, RecordSigner signer, String peer, long now) {
        String exporter = Hex.encode(signer.publicKey());
        if (!exporter.equals(log.self())) {
            throw new IllegalArgumentException("The bundle must be signed by the log's own member.");
        }
        Map<String, LogHead> theirs = new java.util.HashMap<>();
        if (peer != null) {
            List<LogHead> seen = log.peerHeads().get(peer);
            if (seen == null) {
                throw new BundleException(BundleException.Reason.UNKNOWN_PEER, "No heads were seen from member "
                        + peer.substring(0, 16) + " yet, so what it lacks is not known.");
            }
            seen.forEach(h -> theirs.put(h.author(), h));
        }
        List<LogHead> heads = new ArrayList<>(log.heads().values());
        heads.sort(Comparator.comparing(LogHead::author));
        if (heads.size() > BundleManifest.MAX_LOGS) {
            throw new BundleException(BundleException.Reason.TOO_LARGE, "This workstation holds more than "
                    + BundleManifest.MAX_LOGS + " logs, more than one bundle may list.");
        }
        List<BundleManifest.LogRange> ranges = new ArrayList<>();
        List<LogRecord> records = new ArrayList<>();
        long bytes = 0;
        for (LogHead held : heads) {
            LogHead known = theirs.get(held.author());
            long from = 1;
            if (known != null) {
                boolean same = log.get(held.author(), Math.min(known.seq(), held.seq()))
                        .map(r -> known.seq() > held.seq() || r.hash().equals(known.hash())).orElse(false);
                from = same ? known.seq() + 1 : Math.min(known.seq(), held.seq());
            }
            if (from > held.seq()) {
                continue;
            }
            for (long seq = from; seq <= held.seq(); ) {
                List<LogRecord> batch = log.range(held.author(), seq, 1_000);
                if (batch.isEmpty()) {
                    break;
                }
                for (LogRecord record : batch) {
                    if (record.seq() > held.seq()) {
                        break;
                    }
                    records.add(record);
                    bytes += 4 + record.size();
                    if (records.size() > BundleManifest.MAX_RECORDS || bytes > BundleManifest.MAX_RECORD_BYTES) {
                        throw new BundleException(BundleException.Reason.TOO_LARGE, "The records to export exceed one "
                                + "bundle's limit (" + BundleManifest.MAX_RECORDS + " records or "
                                + BundleManifest.MAX_RECORD_BYTES / (1024 * 1024) + " MiB).");
                    }
                }
                seq = batch.get(batch.size() - 1).seq() + 1;
            }
            ranges.add(new BundleManifest.LogRange(held.author(), from, held.seq(), held.hash()));
        }
        byte[] section = recordsSection(records);
        BundleManifest manifest = new BundleManifest(log.coop(), exporter, now, peer == null ? "all" : peer, heads,
                ranges, records.size(), section.length, Hex.encode(sha256(section)));
        byte[] manifestBytes = manifest.canonical();
        byte[] signature = signer.sign(signedBytes(manifestBytes));
        return new MeshBundle(manifest, manifestBytes, signature, records);
    }

    private static byte[] recordsSection(List<LogRecord> records) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LogRecord record : records) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(record.size()).array());
            out.writeBytes(record.wire());
        }
        return out.toByteArray();
    }

    /** The bytes the exporter signs: {@link #DOMAIN} then the manifest's canonical JSON. */
    static byte[] signedBytes(byte[] manifestBytes) {
        byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[domain.length + manifestBytes.length];
        System.arraycopy(domain, 0, out, 0, domain.length);
        System.arraycopy(manifestBytes, 0, out, domain.length, manifestBytes.length);
        return out;
    }

    /** Writes the bundle's bytes. */
    public void writeTo(OutputStream out) throws IOException {
        out.write(MAGIC);
        out.write(FORMAT);
        out.write(ByteBuffer.allocate(4).putInt(manifestBytes.length).array());
        out.write(manifestBytes);
        out.write(signature);
        out.write(recordsSection(records));
    }

    /** The bundle's bytes. */
    public byte[] bytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * Reads and checks a whole bundle. Nothing is trusted before it is checked: sizes are bounded before anything is
     * allocated, and a bundle is returned only if it is exactly as its exporter signed it and every record in it is
     * valid and in its place.
     *
     * @throws BundleException saying in a plain sentence what is wrong (cut short, altered, invalid, too large)
     * @throws UncheckedIOException when the stream cannot be read
     */
    public static MeshBundle read(InputStream stream) {
        DataInputStream in = new DataInputStream(stream);
        try {
            byte[] magic = in.readNBytes(MAGIC.length);
            if (magic.length < MAGIC.length || !java.util.Arrays.equals(magic, MAGIC)) {
                throw BundleException.invalid("The file is not a mesh bundle.");
            }
            int format = in.read();
            if (format != FORMAT) {
                throw BundleException.invalid(format < 0 ? "The bundle ends right after its first bytes: it was cut short."
                        : "The bundle is of format " + format + "; this version reads format " + FORMAT + ".");
            }
            int length = readLength(in, "its manifest");
            if (length < 2 || length > MAX_MANIFEST_BYTES) {
                throw BundleException.invalid("The bundle's manifest is " + Integer.toUnsignedString(length)
                        + " bytes; it must be from 2 to " + MAX_MANIFEST_BYTES + ".");
            }
            byte[] manifestBytes = readFully(in, length, "inside its manifest");
            BundleManifest manifest = BundleManifest.parse(manifestBytes);
            byte[] signature = readFully(in, SIGNATURE_SIZE, "inside its signature");
            if (!verify(manifest.exporter(), signedBytes(manifestBytes), signature)) {
                throw BundleException.invalid("The bundle's signature does not match its manifest: the manifest was "
                        + "altered after export, or was not signed by the member it names.");
            }
            MessageDigest digest = sha256();
            long bytes = 0;
            List<byte[]> wires = new ArrayList<>();
            for (int i = 0; i < manifest.recordCount(); i++) {
                byte[] prefix = in.readNBytes(4);
                if (prefix.length < 4) {
                    throw cutShort(i, manifest.recordCount());
                }
                int size = ByteBuffer.wrap(prefix).getInt();
                if (size < 1 || size > LogRecord.MAX_BYTES) {
                    throw BundleException.invalid("Record " + (i + 1) + " of the bundle claims "
                            + Integer.toUnsignedString(size) + " bytes; a record is 1 to " + LogRecord.MAX_BYTES + ".");
                }
                bytes += 4 + size;
                if (bytes > manifest.recordBytes()) {
                    throw BundleException.invalid("The bundle's records take more bytes than its manifest says: it was "
                            + "altered after export.");
                }
                byte[] wire = in.readNBytes(size);
                if (wire.length < size) {
                    throw cutShort(i, manifest.recordCount());
                }
                digest.update(prefix);
                digest.update(wire);
                wires.add(wire);
            }
            if (in.read() != -1) {
                throw BundleException.invalid("The bundle has bytes after its last record: it was altered after export.");
            }
            if (bytes != manifest.recordBytes() || !Hex.encode(digest.digest()).equals(manifest.recordsSha256())) {
                throw BundleException.invalid("The bundle's records do not match its manifest (their SHA-256 differs): "
                        + "they were altered after export.");
            }
            List<LogRecord> records = checkRecords(manifest, wires);
            return new MeshBundle(manifest, manifestBytes, signature, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BundleException cutShort(int held, int count) {
        return BundleException.invalid("The bundle ends early: it holds " + held + " of the " + count + " records its "
                + "manifest lists (it was cut short, perhaps copied incompletely).");
    }

    private static List<LogRecord> checkRecords(BundleManifest manifest, List<byte[]> wires) {
        List<LogRecord> records = new ArrayList<>(wires.size());
        int i = 0;
        for (BundleManifest.LogRange range : manifest.logs()) {
            LogRecord previous = null;
            for (long seq = range.from(); seq <= range.to(); seq++, i++) {
                LogRecord record;
                try {
                    record = LogRecord.parse(wires.get(i));
                } catch (MalformedRecordException e) {
                    throw BundleException.invalid("Record " + (i + 1) + " of the bundle is not valid: " + e.getMessage());
                }
                String where = "Record " + (i + 1) + " of the bundle (place " + record.seq() + " of member "
                        + record.author().substring(0, 16) + ")";
                if (!record.coop().equals(manifest.coop())) {
                    throw BundleException.invalid(where + " belongs to another cooperative than the bundle.");
                }
                if (!record.author().equals(range.author()) || record.seq() != seq) {
                    throw BundleException.invalid(where + " is not where the manifest lists it.");
                }
                if (!record.signatureValid()) {
                    throw BundleException.invalid(where + " has an invalid signature.");
                }
                if (previous != null && !previous.hash().equals(record.prev())) {
                    throw BundleException.invalid(where + " does not follow the record before it in the bundle.");
                }
                records.add(record);
                previous = record;
            }
            if (!Objects.requireNonNull(previous).hash().equals(range.head())) {
                throw BundleException.invalid("The last record of member " + range.author().substring(0, 16)
                        + " in the bundle is not the one its manifest names.");
            }
        }
        return records;
    }

    private static int readLength(DataInputStream in, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw BundleException.invalid("The bundle ends before " + what + ": it was cut short.");
        }
    }

    private static byte[] readFully(InputStream in, int length, String where) throws IOException {
        byte[] out = in.readNBytes(length);
        if (out.length < length) {
            throw BundleException.invalid("The bundle ends " + where + ": it was cut short, perhaps copied incompletely.");
        }
        return out;
    }

    private static boolean verify(String keyHex, byte[] message, byte[] signature) {
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(Hex.decode(keyHex), 0);
        } catch (IllegalArgumentException notACurvePoint) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    public BundleManifest manifest() {
        return manifest;
    }

    /** The records, in the manifest's order (by author, then place). */
    public List<LogRecord> records() {
        return records;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }
}
