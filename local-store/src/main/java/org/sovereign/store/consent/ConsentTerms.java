package org.sovereign.store.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a person agreed to: the ISO/IEC TS 27560 fields as mapped by W3C DPV. Immutable; a renewal records new
 * terms in a new event under the same record id.
 *
 * @param recordId         the consent record's id (a UUID)
 * @param principal        who gave consent (data subject), e.g. the vault owner's device fingerprint or a name
 * @param controller       who processes (this workstation's owner)
 * @param purposes         why, in words (each is matched exactly by the gate)
 * @param dataCategories   DPV personal data categories, e.g. {@code dpv-pd:Document}
 * @param sources          normalised absolute paths (files or folders) the consent covers
 * @param packDigests      model pack digests allowed ({@code sha256:...}); empty means any pack
 * @param operations       what may be done
 * @param jurisdiction     e.g. {@code EU}
 * @param retention        ISO 8601 duration data may be kept, e.g. {@code P1Y}
 * @param validFrom        start of validity
 * @param validUntil       end of validity (exclusive)
 * @param withdrawalMethod how to withdraw, in words
 * @param notice           the exact notice text shown to the person
 * @param language         BCP 47 language tag of the notice
 */
public record ConsentTerms(String recordId, String principal, String controller, List<String> purposes,
                           List<String> dataCategories, List<String> sources, List<String> packDigests,
                           Set<Operation> operations, String jurisdiction, String retention, Instant validFrom,
                           Instant validUntil, String withdrawalMethod, String notice, String language) {

    public static final String SCHEMA_VERSION = "sovereign-consent/1";

    public ConsentTerms {
        Objects.requireNonNull(recordId, "recordId");
        purposes = sortedCopy(purposes);
        dataCategories = sortedCopy(dataCategories);
        sources = sortedCopy(sources);
        packDigests = sortedCopy(packDigests);
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        if (purposes.isEmpty()) {
            throw new IllegalArgumentException("A consent needs at least one purpose.");
        }
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("A consent needs at least one operation.");
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("A consent needs at least one source.");
        }
        if (!validUntil.isAfter(validFrom)) {
            throw new IllegalArgumentException("A consent must end after it starts.");
        }
        Objects.requireNonNull(notice, "notice");
    }

    public boolean anyPack() {
        return packDigests.isEmpty();
    }

    /** SHA-256 of the notice text's UTF-8 bytes, hex: recorded so the exact wording can be proven later. */
    public String noticeSha256() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(notice.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    ObjectNode toJson() {
        ObjectNode o = CanonicalJson.MAPPER.createObjectNode();
        o.put("schemaVersion", SCHEMA_VERSION);
        o.put("recordId", recordId);
        o.put("principal", principal);
        o.put("controller", controller);
        array(o, "purposes", purposes);
        array(o, "dataCategories", dataCategories);
        array(o, "sources", sources);
        array(o, "packDigests", packDigests);
        array(o, "operations", operations.stream().sorted().map(Operation::jsonName).toList());
        o.put("jurisdiction", jurisdiction);
        o.put("retention", retention);
        o.put("validFrom", validFrom.toString());
        o.put("validUntil", validUntil.toString());
        o.put("withdrawalMethod", withdrawalMethod);
        o.put("notice", notice);
        o.put("noticeSha256", noticeSha256());
        o.put("language", language);
        return o;
    }

    static ConsentTerms fromJson(JsonNode o) {
        if (!SCHEMA_VERSION.equals(text(o, "schemaVersion"))) {
            throw new IllegalArgumentException("Unknown consent schema version '" + text(o, "schemaVersion") + "'.");
        }
        ConsentTerms terms = new ConsentTerms(text(o, "recordId"), text(o, "principal"), text(o, "controller"),
                list(o, "purposes"), list(o, "dataCategories"), list(o, "sources"), list(o, "packDigests"),
                EnumSet.copyOf(list(o, "operations").stream().map(Operation::fromJson).toList()),
                text(o, "jurisdiction"), text(o, "retention"), Instant.parse(text(o, "validFrom")),
                Instant.parse(text(o, "validUntil")), text(o, "withdrawalMethod"), text(o, "notice"), text(o, "language"));
        if (!terms.noticeSha256().equals(text(o, "noticeSha256"))) {
            throw new IllegalArgumentException("The notice text does not match its recorded hash.");
        }
        return terms;
    }

    private static List<String> sortedCopy(Collection<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    private static void array(ObjectNode o, String name, Collection<String> values) {
        ArrayNode a = o.putArray(name);
        values.forEach(a::add);
    }

    static String text(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("Field '" + field + "' is missing or not text.");
        }
        return v.asText();
    }

    private static List<String> list(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isArray()) {
            throw new IllegalArgumentException("Field '" + field + "' is missing or not a list.");
        }
        List<String> out = new ArrayList<>();
        v.forEach(e -> out.add(e.asText()));
        return out;
    }
}
