package org.sovereign.store.consent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.note.VerifierKey;
import org.sovereign.store.json.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/**
 * A self-contained consent receipt: every signed event of one consent and the device's public key, as one JSON file
 * that anyone can verify with no vault ({@link #verify}). The person compares the printed key fingerprint with the
 * one their workstation shows.
 */
public final class ConsentReceipt {

    public static final String FORMAT = "sovereign-consent-receipt/1";

    private ConsentReceipt() {
    }

    /**
     * The verified content of a receipt.
     *
     * @param auditedEvents how many of the events carry a verified proof that they are in the device's audit log
     */
    public record Verified(String recordId, ConsentStatus statusAtCheck, ConsentTerms terms, List<ConsentEvent> events,
                           String signerFingerprint, int auditedEvents) {
        public boolean everyEventAudited() {
            return auditedEvents == events.size();
        }
    }

    /** A receipt without audit proofs. */
    public static byte[] export(ConsentHistory history) {
        return export(history, List.of(), null);
    }

    /**
     * A receipt that also carries, for each event, an offline proof (C2SP tlog-proof, with its entry) that the event
     * was written to the device's audit log, and the log's verifier key.
     */
    public static byte[] export(ConsentHistory history, List<byte[]> auditProofs, String auditLogKey) {
        ObjectNode o = CanonicalJson.MAPPER.createObjectNode();
        o.put("format", FORMAT);
        byte[] key = history.signedEvents().get(0).signerPublicKey();
        o.put("signerPublicKey", Base64.getEncoder().encodeToString(key));
        o.put("signerFingerprint", fingerprint(key));
        ArrayNode events = o.putArray("events");
        for (SignedConsentEvent s : history.signedEvents()) {
            ObjectNode e = events.addObject();
            try {
                e.set("event", CanonicalJson.MAPPER.readTree(s.body()));
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
            e.put("signature", Base64.getEncoder().encodeToString(s.signature()));
        }
        if (auditLogKey != null) {
            o.put("auditLogKey", auditLogKey);
            ArrayNode proofs = o.putArray("auditProofs");
            auditProofs.forEach(p -> proofs.add(Base64.getEncoder().encodeToString(p)));
        }
        try {
            return CanonicalJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Verifies a receipt on its own: every signature with the embedded key, the event chain, and the replay rules.
     *
     * @throws InvalidConsentException with a plain reason if anything fails
     */
    public static Verified verify(byte[] receipt, Instant now) {
        JsonNode o;
        try {
            o = CanonicalJson.MAPPER.readTree(receipt);
        } catch (IOException e) {
            throw new InvalidConsentException("This file is not a consent receipt (not JSON).");
        }
        if (o == null || !FORMAT.equals(o.path("format").asText())) {
            throw new InvalidConsentException("This file is not a consent receipt (format '" + (o == null ? "" : o.path("format").asText()) + "').");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(o.path("signerPublicKey").asText());
        } catch (IllegalArgumentException e) {
            throw new InvalidConsentException("The receipt's public key is not valid base64.");
        }
        List<SignedConsentEvent> signed = new ArrayList<>();
        for (JsonNode e : o.path("events")) {
            if (!e.path("event").isObject()) {
                // the canonical form (what was signed) exists only for an object: anything else is refused here
                throw new InvalidConsentException("An event in the receipt is not a JSON object.");
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(e.path("signature").asText());
            } catch (IllegalArgumentException ex) {
                throw new InvalidConsentException("A signature in the receipt is not valid base64.");
            }
            byte[] body;
            try {
                body = CanonicalJson.of(e.path("event"));
            } catch (UncheckedIOException | IllegalArgumentException ex) {
                throw new InvalidConsentException("An event in the receipt cannot be put in canonical form.");
            }
            signed.add(new SignedConsentEvent(body, signature, key));
        }
        ConsentHistory history = ConsentHistory.replay(signed, key);
        int audited = verifyAuditProofs(o, history, key);
        return new Verified(history.recordId(), history.statusAt(now), history.terms(), history.events(), fingerprint(key), audited);
    }

    /** Checks every carried audit proof; returns how many events they prove were logged. */
    private static int verifyAuditProofs(JsonNode o, ConsentHistory history, byte[] signerKey) {
        if (!o.has("auditProofs")) {
            return 0;
        }
        String logKey = o.path("auditLogKey").asText();
        try {
            if (!MessageDigest.isEqual(VerifierKey.parse(logKey).publicKey(), signerKey)) {
                throw new InvalidConsentException("The receipt's audit log belongs to another device than its signer.");
            }
        } catch (AuditException e) {
            throw new InvalidConsentException("The receipt's audit log key is not valid: " + e.getMessage());
        }
        Set<String> eventHashes = new HashSet<>();
        history.signedEvents().forEach(s -> eventHashes.add(s.hash()));
        Set<String> proven = new HashSet<>();
        for (JsonNode p : o.path("auditProofs")) {
            AuditEntry entry;
            try {
                entry = AuditLog.verifyProofFile(Base64.getDecoder().decode(p.asText()), List.of(logKey));
            } catch (AuditException | IllegalArgumentException e) {
                throw new InvalidConsentException("An audit proof in the receipt does not verify: " + e.getMessage());
            }
            String hash = entry.refs().get("eventSha256");
            if (!history.recordId().equals(entry.refs().get("consent")) || hash == null || !eventHashes.contains(hash)) {
                throw new InvalidConsentException("An audit proof in the receipt is about another consent event.");
            }
            proven.add(hash);
        }
        return proven.size();
    }

    /** SHA-256 of the raw public key, hex in groups of four: what a person compares by eye. */
    public static String fingerprint(byte[] rawPublicKey) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawPublicKey));
            return String.join(" ", hex.substring(0, 32).split("(?<=\\G.{4})"));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
