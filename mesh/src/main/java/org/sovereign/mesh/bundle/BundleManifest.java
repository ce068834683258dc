package org.sovereign.mesh.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.store.json.CanonicalJson;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a bundle holds (docs/mesh.md, "USB bundles"): the cooperative, the exporting member, whom it was made for, the
 * exporter's heads of every log it held, the range of each log in the bundle, and the count, size and SHA-256 of the
 * records section. Its RFC 8785 canonical JSON is what the exporter signs.
 *
 * @param coop          the cooperative every record names
 * @param exporter      the exporting member's key, lower-case hex (it signs the manifest)
 * @param created       the exporter's clock when exporting, milliseconds since 1970 (informational)
 * @param since         {@code all}, or the key of the member the bundle was made for
 * @param heads         the exporter's head of every log it held, by author
 * @param logs          the records in the bundle, one range per author, by author
 * @param recordCount   how many records the records section holds
 * @param recordBytes   the records section's size in bytes (length prefixes included)
 * @param recordsSha256 SHA-256 of the records section, lower-case hex
 */
public record BundleManifest(String coop, String exporter, long created, String since, List<LogHead> heads,
                             List<LogRange> logs, int recordCount, long recordBytes, String recordsSha256) {

    /** The value of the manifest's {@code type} member. */
    public static final String TYPE = "sovereign.mesh.bundle";
    /** At most this many heads, and at most this many log ranges. */
    public static final int MAX_LOGS = 10_000;
    /** At most this many records in one bundle. */
    public static final int MAX_RECORDS = 200_000;
    /** At most this many bytes in the records section. */
    public static final long MAX_RECORD_BYTES = 64L * 1024 * 1024;

    private static final Set<String> FIELDS = Set.of("chunks", "coop", "created", "exporter", "format", "heads", "logs",
            "records", "since", "type");
    private static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern COOP = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

    /**
     * The records of one author's log in the bundle: places {@code from} to {@code to}, the last with hash {@code head}.
     */
    public record LogRange(String author, long from, long to, String head) {
        public LogRange {
            Objects.requireNonNull(author, "author");
            Objects.requireNonNull(head, "head");
        }

        /** How many records the range holds. */
        public long count() {
            return to - from + 1;
        }
    }

    public BundleManifest {
        heads = List.copyOf(heads);
        logs = List.copyOf(logs);
    }

    /** The canonical JSON of the manifest. */
    public byte[] canonical() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.putArray("chunks");
        node.put("coop", coop);
        node.put("created", created);
        node.put("exporter", exporter);
        node.put("format", MeshBundle.FORMAT);
        ArrayNode headList = node.putArray("heads");
        for (LogHead head : heads) {
            headList.addObject().put("author", head.author()).put("hash", head.hash()).put("seq", head.seq());
        }
        ArrayNode logList = node.putArray("logs");
        for (LogRange log : logs) {
            logList.addObject().put("author", log.author()).put("from", log.from()).put("head", log.head())
                    .put("to", log.to());
        }
        node.putObject("records").put("bytes", recordBytes).put("count", recordCount).put("sha256", recordsSha256);
        node.put("since", since);
        node.put("type", TYPE);
        return CanonicalJson.of(node);
    }

    /**
     * Reads a manifest from its canonical JSON, checking every member, its range and the order of the lists.
     *
     * @throws BundleException saying what is wrong
     */
    public static BundleManifest parse(byte[] json) {
        JsonNode node;
        try {
            node = CanonicalJson.MAPPER.readTree(json);
        } catch (IOException e) {
            throw BundleException.invalid("The bundle's manifest is not JSON.");
        }
        if (node == null || !node.isObject()) {
            throw BundleException.invalid("The bundle's manifest is not a JSON object.");
        }
        exactly(node, FIELDS, "manifest");
        if (!TYPE.equals(node.get("type").textValue())) {
            throw BundleException.invalid("The bundle's manifest is not of type " + TYPE + ".");
        }
        if (number(node, "format", 1) != MeshBundle.FORMAT) {
            throw BundleException.invalid("The bundle's manifest is of format " + node.get("format")
                    + "; this version reads format " + MeshBundle.FORMAT + ".");
        }
        if (!node.get("chunks").isArray()) {
            throw BundleException.invalid("The bundle's manifest lists its pack chunks in something other than a list.");
        }
        if (!node.get("chunks").isEmpty()) {
            throw BundleException.invalid("The bundle holds pack chunks, which this version cannot import yet.");
        }
        String coop = text(node, "coop");
        if (!COOP.matcher(coop).matches()) {
            throw BundleException.invalid("The bundle's manifest names no valid cooperative.");
        }
        String exporter = key(node, "exporter");
        long created = number(node, "created", 0);
        String since = text(node, "since");
        if (!since.equals("all") && !HEX_32.matcher(since).matches()) {
            throw BundleException.invalid("The bundle's manifest says it was made for neither everyone nor a member key.");
        }
        List<LogHead> heads = new ArrayList<>();
        for (JsonNode head : list(node, "heads")) {
            exactly(head, Set.of("author", "hash", "seq"), "head");
            heads.add(new LogHead(key(head, "author"), number(head, "seq", 1), key(head, "hash")));
        }
        for (int i = 1; i < heads.size(); i++) {
            if (heads.get(i - 1).author().compareTo(heads.get(i).author()) >= 0) {
                throw BundleException.invalid("The bundle's manifest lists its heads out of order or twice.");
            }
        }
        List<LogRange> logs = new ArrayList<>();
        long total = 0;
        for (JsonNode log : list(node, "logs")) {
            exactly(log, Set.of("author", "from", "head", "to"), "log range");
            LogRange range = new LogRange(key(log, "author"), number(log, "from", 1), number(log, "to", 1), key(log, "head"));
            if (range.to() < range.from()) {
                throw BundleException.invalid("The bundle's manifest lists a log range that ends before it starts.");
            }
            if (!logs.isEmpty() && logs.get(logs.size() - 1).author().compareTo(range.author()) >= 0) {
                throw BundleException.invalid("The bundle's manifest lists its logs out of order or twice.");
            }
            logs.add(range);
            total += range.count();
            if (total > MAX_RECORDS) {
                throw BundleException.invalid("The bundle's manifest lists more than " + MAX_RECORDS + " records.");
            }
        }
        JsonNode records = node.get("records");
        if (!records.isObject()) {
            throw BundleException.invalid("The bundle's manifest does not describe its records.");
        }
        exactly(records, Set.of("bytes", "count", "sha256"), "records summary");
        long count = number(records, "count", 0);
        long bytes = number(records, "bytes", 0);
        if (count != total) {
            throw BundleException.invalid("The bundle's manifest counts " + count + " records but its log ranges hold "
                    + total + ".");
        }
        if (bytes > MAX_RECORD_BYTES || bytes < count * 5) {
            throw BundleException.invalid("The bundle's manifest gives an impossible size for its records.");
        }
        BundleManifest manifest = new BundleManifest(coop, exporter, created, since, heads, logs, (int) count, bytes,
                key(records, "sha256"));
        if (!Arrays.equals(manifest.canonical(), json)) {
            throw BundleException.invalid("The bundle's manifest is not in canonical form (RFC 8785).");
        }
        return manifest;
    }

    private static void exactly(JsonNode node, Set<String> fields, String what) {
        if (!node.isObject()) {
            throw BundleException.invalid("An entry of the bundle's manifest (" + what + ") is not a JSON object.");
        }
        Set<String> names = new TreeSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        if (!names.equals(new TreeSet<>(fields))) {
            throw BundleException.invalid("The bundle's " + what + " has the members " + names + ", not "
                    + new TreeSet<>(fields) + ".");
        }
    }

    private static JsonNode list(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isArray()) {
            throw BundleException.invalid("The bundle's manifest member '" + field + "' is not a list.");
        }
        if (value.size() > MAX_LOGS) {
            throw BundleException.invalid("The bundle's manifest lists more than " + MAX_LOGS + " " + field + ".");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw BundleException.invalid("The bundle's manifest member '" + field + "' is not a string.");
        }
        return value.textValue();
    }

    private static String key(JsonNode node, String field) {
        String value = text(node, field);
        if (!HEX_32.matcher(value).matches()) {
            throw BundleException.invalid("The bundle's manifest member '" + field + "' is not 32 bytes in lower-case hex.");
        }
        return value;
    }

    private static long number(JsonNode node, String field, long min) {
        JsonNode value = node.get(field);
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < min
                || value.asLong() > LogRecord.MAX_SEQ) {
            throw BundleException.invalid("The bundle's manifest member '" + field + "' is not a whole number from "
                    + min + " to " + LogRecord.MAX_SEQ + ".");
        }
        return value.asLong();
    }
}
