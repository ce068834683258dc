package org.sovereign.store.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.json.CanonicalJson;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry in a consent record's append-only history. Events are never updated or deleted; the state of a consent is
 * the replay of its events ({@link ConsentHistory}). Each event names the hash of the one before it, so an event
 * cannot be dropped or moved without breaking the chain.
 *
 * @param recordId          the consent record
 * @param sequence          1 for the grant, then 2, 3, ...
 * @param status            what happened
 * @param time              when
 * @param terms             the terms agreed to (GIVEN and RENEWED); {@code null} for WITHDRAWN and EXPIRED
 * @param previousEventHash hex SHA-256 of the previous event's signed bytes; empty for the first
 */
public record ConsentEvent(String recordId, long sequence, ConsentStatus status, Instant time, ConsentTerms terms,
                           String previousEventHash) {

    public ConsentEvent {
        Objects.requireNonNull(recordId, "recordId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(previousEventHash, "previousEventHash");
        if (status.allowsProcessing() != (terms != null)) {
            throw new IllegalArgumentException("Given and renewed consent events carry terms; withdrawals and expiries do not.");
        }
        if (terms != null && !terms.recordId().equals(recordId)) {
            throw new IllegalArgumentException("The terms belong to another consent record.");
        }
    }

    ObjectNode toJson() {
        ObjectNode o = CanonicalJson.MAPPER.createObjectNode();
        o.put("type", "consent-event");
        o.put("recordId", recordId);
        o.put("sequence", sequence);
        o.put("status", status.dpv());
        o.put("time", time.toString());
        o.put("previousEventHash", previousEventHash);
        if (terms != null) {
            o.set("terms", terms.toJson());
        }
        return o;
    }

    static ConsentEvent fromJson(JsonNode o) {
        if (!"consent-event".equals(o.path("type").asText())) {
            throw new IllegalArgumentException("Not a consent event.");
        }
        JsonNode terms = o.get("terms");
        return new ConsentEvent(ConsentTerms.text(o, "recordId"), o.path("sequence").asLong(-1),
                ConsentStatus.fromDpv(ConsentTerms.text(o, "status")), Instant.parse(ConsentTerms.text(o, "time")),
                terms == null ? null : ConsentTerms.fromJson(terms), ConsentTerms.text(o, "previousEventHash"));
    }
}
