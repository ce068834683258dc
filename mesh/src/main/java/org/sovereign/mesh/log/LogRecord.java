package org.sovereign.mesh.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.crypto.Hex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One signed record of a member's append-only log (docs/mesh.md). A record names its cooperative, its author (the
 * author's raw Ed25519 key, hex), its sequence number in the author's log (from 1), the hash of the author's previous
 * record ({@code null} for the first), a type and version, the author's clock (informational, never trusted) and a body.
 * The wire form is the record's RFC 8785 canonical JSON; the signature covers {@link #DOMAIN} and the canonical JSON of
 * the record without {@code sig}; the record's hash is SHA-256 of its wire form.
 *
 * <p>Instances are immutable and structurally valid; whether the signature holds is {@link #signatureValid()}.
 */
public final class LogRecord {
    /** Prefix of the signed bytes: the format name, version and a newline, so a signature is never valid elsewhere. */
    public static final String DOMAIN = "sovereign-mesh-record/v1\n";
    /** The largest wire form accepted, in bytes. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The largest sequence number (the largest integer a JSON number holds exactly). */
    public static final long MAX_SEQ = (1L << 53) - 1;

    private static final Set<String> FIELDS = Set.of("author", "body", "coop", "prev", "seq", "sig", "time", "type", "v");
    private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9.-]{0,63}");
    private static final Pattern COOP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    private final String coop;
    private final String author;
    private final long seq;
    private final String prev;
    private final String type;
    private final int version;
    private final long time;
    private final ObjectNode body;
    private final byte[] signature;
    private final byte[] wire;
    private final byte[] signed;
    private final String hash;
    /** The outcome of the signature check, once made (null before). */
    private volatile Boolean verified;

    private LogRecord(String coop, String author, long seq, String prev, String type, int version, long time,
                      ObjectNode body, byte[] signature) {
        this.coop = coop;
        this.author = author;
        this.seq = seq;
        this.prev = prev;
        this.type = type;
        this.version = version;
        this.time = time;
        this.body = body.deepCopy();
        this.signature = signature.clone();
        this.wire = CanonicalJson.of(toJson(true));
        if (wire.length > MAX_BYTES) {
            throw new MalformedRecordException("The record is " + wire.length + " bytes; at most " + MAX_BYTES
                    + " are allowed.");
        }
        this.hash = Hex.encode(sha256(wire));
        this.signed = signedFromWire(wire);
    }

    /**
     * The signed bytes, cut from the wire form. The members after {@code sig} ({@code time}, {@code type}, {@code v})
     * are numbers and a plain name, so the last {@code ,"sig":"} in the canonical JSON is the record's own (the body
     * comes before it); removing one member from a canonical object leaves the canonical object without it. Saves a
     * second canonicalization per record verified.
     */
    private static byte[] signedFromWire(byte[] wire) {
        String json = new String(wire, StandardCharsets.UTF_8);
        int start = json.lastIndexOf(",\"sig\":\"");
        int end = json.indexOf('"', start + 8);
        String unsigned = json.substring(0, start) + json.substring(end + 1);
        return (DOMAIN + unsigned).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Signs a new record with {@code signer}, whose public key becomes the author.
     *
     * @throws MalformedRecordException when a field is out of its range or the record would be too large
     */
    public static LogRecord sign(RecordSigner signer, String coop, long seq, String prev, String type, int version,
                                 long time, ObjectNode body) {
        String author = Hex.encode(signer.publicKey());
        check(coop, author, seq, prev, type, version, time);
        LogRecord unsigned = new LogRecord(coop, author, seq, prev, type, version, time, body,
                new byte[Ed25519Keys.SIGNATURE_SIZE]);
        byte[] sig = signer.sign(unsigned.signedBytes());
        return new LogRecord(coop, author, seq, prev, type, version, time, body, sig);
    }

    /**
     * Reads a record from its wire form. The bytes must be exactly the record's canonical JSON (so one record has one
     * hash) and every field must be present and in range; the signature is not checked here.
     *
     * @throws MalformedRecordException saying what is wrong
     */
    public static LogRecord parse(byte[] wire) {
        if (wire.length > MAX_BYTES) {
            throw new MalformedRecordException("The record is " + wire.length + " bytes; at most " + MAX_BYTES
                    + " are allowed.");
        }
        JsonNode node;
        try {
            node = CanonicalJson.MAPPER.readTree(wire);
        } catch (java.io.IOException e) {
            throw new MalformedRecordException("The record is not JSON.");
        }
        if (node == null || !node.isObject()) {
            throw new MalformedRecordException("The record is not a JSON object.");
        }
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (!names.equals(new TreeSet<>(FIELDS))) {
            throw new MalformedRecordException("The record's fields are " + names + ", not " + new TreeSet<>(FIELDS) + ".");
        }
        String coop = text(node, "coop");
        String author = text(node, "author");
        long seq = integer(node, "seq");
        JsonNode prevNode = node.get("prev");
        String prev = prevNode.isNull() ? null : text(node, "prev");
        String type = text(node, "type");
        long version = integer(node, "v");
        long time = integer(node, "time");
        if (!node.get("body").isObject()) {
            throw new MalformedRecordException("The record's body is not a JSON object.");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(text(node, "sig"));
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("The record's signature is not base64.");
        }
        if (sig.length != Ed25519Keys.SIGNATURE_SIZE) {
            throw new MalformedRecordException("The record's signature is not " + Ed25519Keys.SIGNATURE_SIZE + " bytes.");
        }
        if (version > Integer.MAX_VALUE) {
            throw new MalformedRecordException("The record's version is out of range.");
        }
        check(coop, author, seq, prev, type, (int) version, time);
        LogRecord record = new LogRecord(coop, author, seq, prev, type, (int) version, time, (ObjectNode) node.get("body"),
                sig);
        if (!Arrays.equals(record.wire, wire)) {
            throw new MalformedRecordException("The record is not in canonical form (RFC 8785).");
        }
        return record;
    }

    private static void check(String coop, String author, long seq, String prev, String type, int version, long time) {
        Objects.requireNonNull(coop, "coop");
        Objects.requireNonNull(type, "type");
        if (!COOP.matcher(coop).matches()) {
            throw new MalformedRecordException("A cooperative id is 1 to 128 letters, digits or . _ : -, not '" + coop + "'.");
        }
        if (!HEX_32.matcher(author).matches()) {
            throw new MalformedRecordException("The author is not a 32-byte key in lower-case hex.");
        }
        if (seq < 1 || seq > MAX_SEQ) {
            throw new MalformedRecordException("A sequence number runs from 1 to " + MAX_SEQ + ", not " + seq + ".");
        }
        if ((seq == 1) != (prev == null)) {
            throw new MalformedRecordException(seq == 1 ? "The first record of a log has no previous record."
                    : "Record " + seq + " does not name its previous record.");
        }
        if (prev != null && !HEX_32.matcher(prev).matches()) {
            throw new MalformedRecordException("The previous record's hash is not 32 bytes in lower-case hex.");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new MalformedRecordException("A record type is 1 to 64 lower-case letters, digits, dots or dashes, "
                    + "starting with a letter, not '" + type + "'.");
        }
        if (version < 1) {
            throw new MalformedRecordException("A record version is at least 1, not " + version + ".");
        }
        if (time < 0 || time > MAX_SEQ) {
            throw new MalformedRecordException("The record's time is out of range.");
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new MalformedRecordException("The record's '" + field + "' is not a string.");
        }
        return value.asText();
    }

    private static long integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new MalformedRecordException("The record's '" + field + "' is not a whole number.");
        }
        return value.asLong();
    }

    private ObjectNode toJson(boolean withSignature) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("author", author);
        node.set("body", body);
        node.put("coop", coop);
        if (prev == null) {
            node.putNull("prev");
        } else {
            node.put("prev", prev);
        }
        node.put("seq", seq);
        if (withSignature) {
            node.put("sig", Base64.getEncoder().encodeToString(signature));
        }
        node.put("time", time);
        node.put("type", type);
        node.put("v", version);
        return node;
    }

    /** The bytes the author signs: {@link #DOMAIN} then the canonical JSON of the record without {@code sig}. */
    public byte[] signedBytes() {
        return signed.clone();
    }

    /** The signed bytes computed the long way, from the fields: what {@link #signedBytes()} must equal. */
    byte[] signedBytesFromFields() {
        byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
        byte[] json = CanonicalJson.of(toJson(false));
        byte[] out = Arrays.copyOf(domain, domain.length + json.length);
        System.arraycopy(json, 0, out, domain.length, json.length);
        return out;
    }

    /**
     * Whether the signature is the author's valid Ed25519 signature over {@link #signedBytes()}. Checked once per
     * instance (when the record enters a store) and remembered: the record is immutable and the check deterministic,
     * so every later tally reads the answer instead of verifying again.
     */
    public boolean signatureValid() {
        Boolean known = verified;
        if (known == null) {
            known = verify();
            verified = known;
        }
        return known;
    }

    private boolean verify() {
        // Bouncy Castle's Ed25519 verifies several times faster than the JDK's (same RFC 8032 rules for valid input).
        byte[] message = signed;
        Ed25519PublicKeyParameters key;
        try {
            key = new Ed25519PublicKeyParameters(Hex.decode(author), 0);
        } catch (IllegalArgumentException notACurvePoint) {
            return false; // 32 bytes that are no Ed25519 public key signed nothing (found by MeshInputsFuzzTest)
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }

    /** The wire form: the record's canonical JSON (a copy). */
    public byte[] wire() {
        return wire.clone();
    }

    /** Length of the wire form in bytes. */
    public int size() {
        return wire.length;
    }

    /** SHA-256 of the wire form, lower-case hex: what the author's next record names as {@code prev}. */
    public String hash() {
        return hash;
    }

    public String coop() {
        return coop;
    }

    /** The author's raw Ed25519 public key, lower-case hex. */
    public String author() {
        return author;
    }

    public long seq() {
        return seq;
    }

    /** The previous record's hash, or {@code null} for the first record. */
    public String prev() {
        return prev;
    }

    public String type() {
        return type;
    }

    public int version() {
        return version;
    }

    /** The author's clock when writing, in milliseconds since 1970; informational only. */
    public long time() {
        return time;
    }

    /** The body (a copy). */
    public ObjectNode body() {
        return body.deepCopy();
    }

    /**
     * One member of the body, without copying the whole body: a number, text, boolean or null is returned as is (those
     * nodes cannot be changed), an object or array as a copy. {@code null} when the body has no such member. For
     * readers of many records (governance reads hundreds of thousands per split).
     */
    public JsonNode bodyField(String name) {
        JsonNode value = body.get(name);
        return value == null || value.isValueNode() ? value : value.deepCopy();
    }

    /** Whether the body's members are exactly {@code names} (no more, no fewer). */
    public boolean bodyFieldsAre(Set<String> names) {
        if (body.size() != names.size()) {
            return false;
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            if (!names.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    /** The signature (a copy). */
    public byte[] signature() {
        return signature.clone();
    }

    /** The record with another signature: for tests and for checking that a forged record is refused. */
    LogRecord withSignature(byte[] other) {
        return new LogRecord(coop, author, seq, prev, type, version, time, body, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogRecord r && Arrays.equals(wire, r.wire);
    }

    @Override
    public int hashCode() {
        return hash.hashCode();
    }

    @Override
    public String toString() {
        return "LogRecord[" + type + " v" + version + " by " + author.substring(0, 16) + "… #" + seq + "]";
    }

    /** The JSON of the whole record, for display and diagnostics. */
    public String json() {
        try {
            return CanonicalJson.MAPPER.writeValueAsString(toJson(true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
