package org.sovereign.mesh.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The governance record types (version 1 of each) and their bodies: how to write them and how to read them back,
 * refusing malformed ones with a reason. The byte layout is in docs/mesh.md, "Governance".
 */
public final class GovernanceRecords {
    /** A proposal: kind, subject, text, options, area, close condition. */
    public static final String PROPOSAL = "coop.proposal";
    /** A quadratic vote: votes per option of one proposal. */
    public static final String VOTE = "coop.vote";
    /** A delegation of one's vote in a scope to another member. */
    public static final String DELEGATE = "coop.delegate";
    /** The end of one's delegation in a scope. */
    public static final String REVOKE = "coop.revoke";
    private static final Set<String> USAGE_FIELDS = Set.of("contributor", "what", "amount", "period");
    private static final Set<String> COUNTERSIGN_FIELDS = Set.of("usage");
    private static final Set<String> VOTE_FIELDS = Set.of("proposal", "votes");
    /** A steward's signature on the result of a proposal. */
    public static final String CLOSE = "coop.close";
    /** A usage receipt: the consumer's signed account of what they used of a contributor's work. */
    public static final String USAGE = "coop.usage";
    /** The contributor's countersignature on a usage receipt. */
    public static final String COUNTERSIGN = "coop.countersign";
    /** A steward's signature on a period's revenue split statement. */
    public static final String SPLIT = "coop.split";
    /** The body version this code writes and reads. */
    public static final int VERSION = 1;

    static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
    /** How an adopt-pack or retire-pack proposal names its pack: the digest of the pack's signed statement. */
    public static final Pattern PACK_DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern WHAT = Pattern.compile("pack:sha256:[0-9a-f]{64}|service:[a-z0-9][a-z0-9._-]{0,63}");
    private static final Pattern PERIOD = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final int MAX_OPTIONS = 16;
    private static final int MAX_TEXT = 8000;

    private GovernanceRecords() {
    }

    /** The body of a proposal record. */
    public static ObjectNode proposal(ProposalKind kind, String subject, String text, List<String> options, String area,
                                      long closeAfter, int quorum) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("kind", kind.wireName());
        body.put("subject", subject);
        body.put("text", text);
        ArrayNode opts = body.putArray("options");
        options.forEach(opts::add);
        body.put("area", area);
        body.put("closeAfter", closeAfter);
        body.put("quorum", quorum);
        return body;
    }

    /**
     * The body of a proposal decided under the policy left by the policy-change proposal {@code under} (empty: the
     * starting policy).
     */
    public static ObjectNode proposal(ProposalKind kind, String subject, String text, List<String> options, String area,
                                      long closeAfter, int quorum, java.util.Optional<String> under) {
        ObjectNode body = proposal(kind, subject, text, options, area, closeAfter, quorum);
        under.ifPresent(u -> body.put("under", u));
        return body;
    }

    /** The body of a vote: {@code votes} maps options to whole numbers of votes (negative against, zero left out). */
    public static ObjectNode vote(String proposal, Map<String, Integer> votes) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("proposal", proposal);
        ObjectNode v = body.putObject("votes");
        new TreeMap<>(votes).forEach((option, n) -> {
            if (n != 0) {
                v.put(option, n);
            }
        });
        return body;
    }

    /** The body of a delegation to {@code to} in {@code scope}. */
    public static ObjectNode delegate(Scope scope, String to) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("scope", scope.wire());
        body.put("to", to);
        return body;
    }

    /** The body of a revocation of one's delegation in {@code scope}. */
    public static ObjectNode revoke(Scope scope) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("scope", scope.wire());
        return body;
    }

    /**
     * The body of a usage receipt: the author (the consumer) used {@code amount} of {@code what} ({@code pack:DIGEST}
     * or {@code service:NAME}) that {@code contributor} contributed, in {@code period}.
     */
    public static ObjectNode usage(String contributor, String what, long amount, String period) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("contributor", contributor);
        body.put("what", what);
        body.put("amount", amount);
        body.put("period", period);
        return body;
    }

    /** The body of a countersignature on the usage record {@code usage} (its hash). */
    public static ObjectNode countersign(String usage) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("usage", usage);
        return body;
    }

    /** Reads a usage record: the receipt it claims (countersigned or not). */
    static RevenueSplit.UsageReceipt readUsage(LogRecord record) {
        requireType(record, USAGE);
        exactly(record, USAGE_FIELDS, "usage receipt");
        String contributor = text(record, "contributor", 64);
        if (!hex32(contributor)) {
            throw new GovernanceException("The usage receipt does not name the contributor's key.");
        }
        if (contributor.equals(record.author())) {
            throw new GovernanceException("A member cannot sign a receipt for using their own work.");
        }
        String what = text(record, "what", 120);
        if (!WHAT.matcher(what).matches()) {
            throw new GovernanceException("A receipt names pack:sha256:HEX or service:NAME, not '" + what + "'.");
        }
        long amount = wholeOf(record.bodyField("amount"), "amount", 1, 1_000_000_000L);
        period(text(record, "period", 32));
        return new RevenueSplit.UsageReceipt(record.hash(), record.author(), contributor, what, amount);
    }

    /** The usage record a countersignature names. */
    static String countersigned(LogRecord record) {
        requireType(record, COUNTERSIGN);
        exactly(record, COUNTERSIGN_FIELDS, "countersignature");
        String usage = text(record, "usage", 64);
        if (!hex32(usage)) {
            throw new GovernanceException("The countersignature does not name a receipt by its record hash.");
        }
        return usage;
    }

    /** Checks a period's name: 1 to 32 letters, digits, dots, dashes or underscores (e.g. 2026-12). */
    public static String period(String period) {
        if (!PERIOD.matcher(period).matches()) {
            throw new GovernanceException("A period is 1 to 32 letters, digits, dots, dashes or underscores (e.g. "
                    + "2026-12), not '" + period + "'.");
        }
        return period;
    }

    /** Reads a proposal record; throws with a reason when it is malformed. */
    public static Proposal readProposal(LogRecord record) {
        requireType(record, PROPOSAL);
        return readProposal(record.hash(), record.author(), record.body());
    }

    /** Reads a proposal body (before it is signed, to refuse a bad one without writing it). */
    public static Proposal readProposal(String id, String author, JsonNode body) {
        Set<String> fields = Set.of("kind", "subject", "text", "options", "area", "closeAfter", "quorum");
        if (body.has("under")) {
            fields = new HashSet<>(fields);
            fields.add("under");
        }
        exactly(body, fields, "proposal");
        java.util.Optional<String> under = java.util.Optional.empty();
        if (body.has("under")) {
            String u = text(body, "under", 64);
            if (!hex32(u)) {
                throw new GovernanceException("The proposal's 'under' does not name a proposal by its record hash.");
            }
            under = java.util.Optional.of(u);
        }
        ProposalKind kind = ProposalKind.fromWire(text(body, "kind", 64))
                .orElseThrow(() -> new GovernanceException("The proposal's kind '" + body.get("kind").asText()
                        + "' is not one this version knows."));
        String subject = text(body, "subject", 512);
        String text = text(body, "text", MAX_TEXT);
        JsonNode opts = body.get("options");
        if (!opts.isArray() || opts.size() < 2 || opts.size() > MAX_OPTIONS) {
            throw new GovernanceException("A proposal has 2 to " + MAX_OPTIONS + " options.");
        }
        List<String> options = new ArrayList<>();
        for (JsonNode o : opts) {
            if (!o.isTextual() || o.asText().isBlank() || o.asText().length() > 200) {
                throw new GovernanceException("Each option is a short, non-empty text.");
            }
            if (options.contains(o.asText())) {
                throw new GovernanceException("The option '" + o.asText() + "' appears twice.");
            }
            options.add(o.asText());
        }
        String area = text(body, "area", 64);
        if (!NAME.matcher(area).matches()) {
            throw new GovernanceException("An area is 1 to 64 lower-case letters, digits, dots, dashes or underscores.");
        }
        long closeAfter = whole(body, "closeAfter", 0, Long.MAX_VALUE);
        int quorum = (int) whole(body, "quorum", 0, 1_000_000);
        if (kind == ProposalKind.ADOPT_PACK || kind == ProposalKind.RETIRE_PACK) {
            if (!PACK_DIGEST.matcher(subject).matches()) {
                throw new GovernanceException("A pack is named by its digest, sha256: and 64 lower-case hex digits.");
            }
        }
        return new Proposal(id, author, kind, subject, text, options, area, closeAfter, quorum, under);
    }

    /** Reads the votes of a vote record (option to votes, in option order of the record). */
    static String votedProposal(LogRecord record) {
        requireType(record, VOTE);
        exactly(record, VOTE_FIELDS, "vote");
        String proposal = text(record, "proposal", 64);
        if (!hex32(proposal)) {
            throw new GovernanceException("The vote does not name a proposal by its record hash.");
        }
        return proposal;
    }

    /** The votes of a vote record for {@code proposal}, checked against its options. */
    static Map<String, Long> votes(LogRecord record, Proposal proposal) {
        JsonNode votes = record.bodyField("votes");
        if (!votes.isObject()) {
            throw new GovernanceException("The vote's 'votes' is not an object of options to numbers.");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = votes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!proposal.options().contains(e.getKey())) {
                throw new GovernanceException("The vote names '" + e.getKey() + "', which is not an option of the "
                        + "proposal.");
            }
            JsonNode n = e.getValue();
            if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() == 0) {
                throw new GovernanceException("The votes on '" + e.getKey() + "' are not a non-zero whole number.");
            }
            out.put(e.getKey(), (long) n.asInt());
        }
        return out;
    }

    /** The scope of a delegation or revocation record. */
    static Scope scope(LogRecord record) {
        JsonNode body = record.body();
        if (record.type().equals(DELEGATE)) {
            exactly(body, Set.of("scope", "to"), "delegation");
        } else {
            requireType(record, REVOKE);
            exactly(body, Set.of("scope"), "revocation");
        }
        return Scope.parse(text(body, "scope", 80));
    }

    /** The delegate a delegation record names. */
    static String delegateTo(LogRecord record) {
        String to = text(record, "to", 64);
        if (!hex32(to)) {
            throw new GovernanceException("The delegation does not name a member's key.");
        }
        if (to.equals(record.author())) {
            throw new GovernanceException("A member cannot delegate to themselves.");
        }
        return to;
    }

    private static void requireType(LogRecord record, String type) {
        if (!record.type().equals(type) || record.version() != VERSION) {
            throw new GovernanceException("The record is a " + record.type() + " v" + record.version() + ", not a "
                    + type + " v" + VERSION + ".");
        }
    }

    /** As {@link #exactly(JsonNode, Set, String)}, without copying the record's body unless it is refused. */
    static void exactly(LogRecord record, Set<String> fields, String what) {
        if (!record.bodyFieldsAre(fields)) {
            exactly(record.body(), fields, what);
        }
    }

    /**
     * Whether {@code s} is 64 lower-case hex digits: what {@link #HEX_32} matches, checked without a regular expression
     * (a revenue split checks two per receipt).
     */
    static boolean hex32(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    static void exactly(JsonNode body, Set<String> fields, String what) {
        Set<String> names = new HashSet<>();
        body.fieldNames().forEachRemaining(names::add);
        if (!names.equals(fields)) {
            throw new GovernanceException("A " + what + " has exactly the fields " + new java.util.TreeSet<>(fields)
                    + ", not " + new java.util.TreeSet<>(names) + ".");
        }
    }

    static String text(JsonNode body, String field, int max) {
        return textOf(body.get(field), field, max);
    }

    /** A text member of the record's body, read without copying the body. */
    static String text(LogRecord record, String field, int max) {
        return textOf(record.bodyField(field), field, max);
    }

    private static String textOf(JsonNode n, String field, int max) {
        if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() > max) {
            throw new GovernanceException("The '" + field + "' is not a text of 1 to " + max + " characters.");
        }
        return n.asText();
    }

    static long whole(JsonNode body, String field, long min, long max) {
        return wholeOf(body.get(field), field, min, max);
    }

    private static long wholeOf(JsonNode n, String field, long min, long max) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong() || n.asLong() < min || n.asLong() > max) {
            throw new GovernanceException("The '" + field + "' is not a whole number from " + min + " to " + max + ".");
        }
        return n.asLong();
    }
}
