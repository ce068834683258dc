package org.sovereign.store.audit.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.json.CanonicalJson;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One audit log entry. It names what happened and refers to things by id, digest or salted commitment; it never holds
 * user content. Its bytes in the log are the RFC 8785 canonical JSON of all fields.
 *
 * @param sequence    0-based position in the log (the Merkle leaf index); assigned by the log
 * @param time        when it was appended; assigned by the log
 * @param type        what happened, e.g. {@code consent.given} (see {@link AuditTypes})
 * @param actor       who did it, e.g. {@code device:<fingerprint prefix>} or {@code user}
 * @param refs        references: consent ids, pack digests, document version ids, ...
 * @param commitments salted SHA-256 commitments of inputs and outputs (hex); the salts stay in the vault
 */
public record AuditEntry(long sequence, Instant time, String type, String actor, Map<String, String> refs,
                         Map<String, String> commitments) {

    public AuditEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(actor, "actor");
        refs = Map.copyOf(refs);
        commitments = Map.copyOf(commitments);
    }

    /** A new entry; the log assigns sequence and time when it is appended. */
    public static AuditEntry of(String type, String actor, Map<String, String> refs, Map<String, String> commitments) {
        return new AuditEntry(-1, Instant.EPOCH, type, actor, refs, commitments);
    }

    public static AuditEntry of(String type, String actor, Map<String, String> refs) {
        return of(type, actor, refs, Map.of());
    }

    AuditEntry at(long sequence, Instant time) {
        return new AuditEntry(sequence, time, type, actor, refs, commitments);
    }

    /** The bytes that go into the Merkle tree. */
    public byte[] toBytes() {
        ObjectNode o = CanonicalJson.MAPPER.createObjectNode();
        o.put("seq", sequence);
        o.put("time", time.toString());
        o.put("type", type);
        o.put("actor", actor);
        ObjectNode r = o.putObject("refs");
        new TreeMap<>(refs).forEach(r::put);
        ObjectNode c = o.putObject("commitments");
        new TreeMap<>(commitments).forEach(c::put);
        return CanonicalJson.of(o);
    }

    /** Parses entry bytes; throws {@link IllegalArgumentException} if they are not an audit entry. */
    public static AuditEntry parse(byte[] bytes) {
        try {
            JsonNode o = CanonicalJson.MAPPER.readTree(bytes);
            Map<String, String> refs = new TreeMap<>();
            o.path("refs").fields().forEachRemaining(e -> refs.put(e.getKey(), e.getValue().asText()));
            Map<String, String> commitments = new TreeMap<>();
            o.path("commitments").fields().forEachRemaining(e -> commitments.put(e.getKey(), e.getValue().asText()));
            if (!o.path("seq").canConvertToLong() || !o.path("type").isTextual()) {
                throw new IllegalArgumentException("not an audit entry");
            }
            return new AuditEntry(o.path("seq").asLong(), Instant.parse(o.path("time").asText()), o.path("type").asText(),
                    o.path("actor").asText(), refs, commitments);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("Not an audit entry: " + e.getMessage(), e);
        }
    }
}
