package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.vault.crypto.Hex;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * A cooperative's genesis: the record that names it, its initial stewards and how many of them ({@code k}) must sign
 * an admission or a removal. The cooperative's identity is the genesis record's hash; its id is the record's
 * {@code coop}. Its author must be one of the stewards it names.
 *
 * @param record   the signed genesis record
 * @param name     the cooperative's name, for people
 * @param stewards the initial stewards' keys (lower-case hex)
 * @param k        the steward threshold, 1 to the number of stewards
 */
public record Genesis(LogRecord record, String name, Set<String> stewards, int k) {
    /** The longest name a cooperative may have, in characters. */
    public static final int MAX_NAME = 100;

    public Genesis {
        stewards = Set.copyOf(stewards);
    }

    /** The cooperative's id. */
    public String coop() {
        return record.coop();
    }

    /** The genesis record's hash: what invites, admissions and removals name. */
    public String hash() {
        return record.hash();
    }

    /**
     * Writes the genesis of a new cooperative as the first record of the founder's log.
     *
     * @throws IllegalArgumentException when the founder is not among the stewards, or {@code k} or the name is out
     *                                  of range
     */
    public static Genesis create(RecordSigner founder, String coop, String name, Collection<String> stewards, int k,
                                 long time) {
        Set<String> all = new TreeSet<>(stewards);
        all.add(Hex.encode(founder.publicKey()));
        ObjectNode body = MembershipRecords.genesis(name, all, k);
        LogRecord record = LogRecord.sign(founder, coop, 1, null, MembershipRecords.GENESIS, MembershipRecords.VERSION,
                time, body);
        return parse(record);
    }

    /**
     * Reads and checks a genesis record: its type and version, its body, its signature, and that its author is a
     * steward it names.
     *
     * @throws IllegalArgumentException saying what is wrong, in a plain sentence
     */
    public static Genesis parse(LogRecord record) {
        if (!record.type().equals(MembershipRecords.GENESIS) || record.version() != MembershipRecords.VERSION) {
            throw new IllegalArgumentException("The record is not a cooperative's genesis.");
        }
        JsonNode body = record.body();
        if (!MembershipRecords.hasExactly(body, "k", "name", "stewards") || !body.get("k").isIntegralNumber()
                || !body.get("name").isTextual() || !body.get("stewards").isArray()) {
            throw new IllegalArgumentException("The genesis names a cooperative, its stewards and k, and nothing else.");
        }
        String name = body.get("name").asText();
        if (name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("A cooperative's name is 1 to " + MAX_NAME + " printable characters.");
        }
        Set<String> stewards = new TreeSet<>();
        for (JsonNode steward : body.get("stewards")) {
            if (!MembershipRecords.isKey(steward) || !stewards.add(steward.asText())) {
                throw new IllegalArgumentException("The genesis names a steward that is not a distinct key.");
            }
        }
        if (stewards.isEmpty() || stewards.size() > MembershipRecords.MAX_STEWARDS) {
            throw new IllegalArgumentException("A cooperative has 1 to " + MembershipRecords.MAX_STEWARDS + " stewards.");
        }
        long k = body.get("k").asLong();
        if (k < 1 || k > stewards.size()) {
            throw new IllegalArgumentException("k is between 1 and the number of stewards (" + stewards.size()
                    + "), not " + k + ".");
        }
        if (!stewards.contains(record.author())) {
            throw new IllegalArgumentException("The genesis was not signed by one of the stewards it names.");
        }
        if (!record.signatureValid()) {
            throw new IllegalArgumentException("The genesis's signature does not verify.");
        }
        return new Genesis(record, name, stewards, (int) k);
    }
}
