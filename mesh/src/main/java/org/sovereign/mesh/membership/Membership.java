package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import org.sovereign.mesh.log.LogRecord;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Who belongs to a cooperative, computed from its genesis and a set of signed records only (docs/mesh.md,
 * "Membership"): the same records in any order, with repeats, give the same view on every member. Nothing trusts a
 * clock.
 *
 * <ul>
 *     <li>The genesis stewards are members from the start.</li>
 *     <li>Another key is a member while an admission statement about it is signed by at least {@code k} distinct
 *     stewards (the signatures may come in several records) and names, in {@code after}, every removal and every leave
 *     of that key held here.</li>
 *     <li>A removal counts when {@code k} stewards signed it; a leave is the member's own record. Either revokes every
 *     admission that does not name it, so an old admission replayed later does not bring the key back.</li>
 *     <li>A key that signed two different records at one place of its log (an equivocation) is frozen.</li>
 * </ul>
 *
 * Membership records that cannot be used are listed in {@link #refusals()} with a plain reason.
 */
public final class Membership {

    /** Where a key stands. */
    public enum State {
        /** A member: its records are accepted. */
        ADMITTED,
        /** An admission about it is signed by fewer than {@code k} stewards so far. */
        PENDING,
        /** It left the cooperative. */
        LEFT,
        /** Stewards removed it. */
        REMOVED,
        /** It signed two different records at one place of its log. */
        FROZEN,
        /** Nothing admits it. */
        UNKNOWN
    }

    /**
     * The member and steward sets, for governance.
     *
     * @param coop     the cooperative's id
     * @param members  every admitted, not frozen key
     * @param stewards the genesis stewards who are members
     * @param k        the steward threshold
     */
    public record Roster(String coop, Set<String> members, Set<String> stewards, int k) {
        public Roster {
            members = Set.copyOf(members);
            stewards = Set.copyOf(stewards);
        }
    }

    /** A steward's invitation: who issued it, until when (ms since 1970) it may be used, and its record. */
    public record Invitation(String key, String issuer, long expires, LogRecord record) {
    }

    private final Genesis genesis;
    private final Map<String, State> states = new TreeMap<>();
    private final Map<String, String> names = new TreeMap<>();
    private final Map<String, Integer> pendingSignatures = new TreeMap<>();
    private final Map<String, JsonNode> pendingStatements = new TreeMap<>();
    private final Map<String, JsonNode> pendingRemovals = new TreeMap<>();
    private final Map<String, Invitation> invitations = new TreeMap<>();
    private final Set<String> usedNonces = new TreeSet<>();
    private final Map<String, Set<String>> revocations = new HashMap<>();
    private final Map<String, String> refusals = new TreeMap<>();

    private Membership(Genesis genesis) {
        this.genesis = genesis;
    }

    /**
     * The membership of {@code genesis}'s cooperative after {@code records} (any types, any order, repeats allowed).
     *
     * @param frozen keys frozen after an equivocation (the log's evidence)
     */
    public static Membership of(Genesis genesis, Collection<LogRecord> records, Set<String> frozen) {
        Membership m = new Membership(genesis);
        m.read(records, frozen);
        return m;
    }

    private static final class Statement {
        final JsonNode content;
        final Map<String, byte[]> signatures = new TreeMap<>();

        Statement(JsonNode content) {
            this.content = content;
        }
    }

    private void read(Collection<LogRecord> input, Set<String> frozen) {
        Map<String, LogRecord> unique = new TreeMap<>();
        for (LogRecord r : input) {
            if (MembershipRecords.TYPES.contains(r.type())) {
                unique.putIfAbsent(r.hash(), r);
            }
        }
        Map<String, Statement> admissions = new TreeMap<>();
        Map<String, Statement> removals = new TreeMap<>();
        for (LogRecord r : unique.values()) {
            String problem = use(r, admissions, removals);
            if (problem != null) {
                refusals.put(r.hash(), problem);
            }
        }
        // Removals that k stewards signed revoke the member's admissions that do not name them.
        for (Statement s : removals.values()) {
            String target = s.content.get("member").asText();
            if (s.signatures.size() < genesis.k() && !s.signatures.isEmpty()) {
                JsonNode known = pendingRemovals.get(target);
                if (known == null || s.signatures.size() > removals.get(MembershipRecords.statementHash(known)).signatures.size()) {
                    pendingRemovals.put(target, s.content);
                }
            }
            if (s.signatures.size() >= genesis.k()) {
                String member = s.content.get("member").asText();
                revocations.computeIfAbsent(member, m -> new HashSet<>()).add(MembershipRecords.statementHash(s.content));
                states.put(member, State.REMOVED);
            }
        }
        for (String steward : genesis.stewards()) {
            if (!revocations.containsKey(steward)) {
                states.put(steward, State.ADMITTED);
            }
        }
        for (Statement s : admissions.values()) {
            String member = s.content.get("member").asText();
            Set<String> after = new HashSet<>();
            s.content.get("after").forEach(a -> after.add(a.asText()));
            if (!after.containsAll(revocations.getOrDefault(member, Set.of()))) {
                continue; // an admission from before a removal or leave it does not name
            }
            int count = s.signatures.size(); // each kept signature was verified against a steward's key
            if (count >= genesis.k()) {
                states.put(member, State.ADMITTED);
                names.put(member, s.content.get("name").asText());
                usedNonces.add(s.content.get("nonce").asText());
                pendingSignatures.remove(member);
                pendingStatements.remove(member);
            } else if (count > 0 && states.get(member) != State.ADMITTED) {
                states.putIfAbsent(member, State.PENDING);
                names.putIfAbsent(member, s.content.get("name").asText());
                if (count > pendingSignatures.getOrDefault(member, 0)) {
                    pendingSignatures.put(member, count);
                    pendingStatements.put(member, s.content);
                }
            }
        }
        for (String key : frozen) {
            states.put(key, State.FROZEN);
        }
    }

    /** Uses one membership record; returns why it cannot be used, or null. */
    private String use(LogRecord r, Map<String, Statement> admissions, Map<String, Statement> removals) {
        if (!r.coop().equals(genesis.coop())) {
            return "It belongs to another cooperative.";
        }
        if (r.version() != MembershipRecords.VERSION) {
            return "It is of a version this workstation does not read.";
        }
        if (!r.signatureValid()) {
            return "Its signature does not verify.";
        }
        JsonNode body = r.body();
        switch (r.type()) {
            case MembershipRecords.GENESIS -> {
                return r.hash().equals(genesis.hash()) ? null : "It is the genesis of another cooperative with the same id.";
            }
            case MembershipRecords.INVITE -> {
                if (!MembershipRecords.hasExactly(body, "expires", "genesis", "key", "peers") || !body.get("peers").isArray()
                        || !body.get("expires").canConvertToLong()
                        || !MembershipRecords.isKey(body.get("key"))) {
                    return "The invitation is not well formed.";
                }
                if (!body.get("genesis").asText().equals(genesis.hash())) {
                    return "The invitation names another genesis.";
                }
                if (!genesis.stewards().contains(r.author())) {
                    return "Only a steward may invite.";
                }
                invitations.putIfAbsent(body.get("key").asText(),
                        new Invitation(body.get("key").asText(), r.author(), body.get("expires").asLong(), r));
                return null;
            }
            case MembershipRecords.LEAVE -> {
                if (!MembershipRecords.hasExactly(body, "genesis") || !body.get("genesis").asText().equals(genesis.hash())) {
                    return "The leave names another genesis.";
                }
                revocations.computeIfAbsent(r.author(), a -> new HashSet<>()).add(r.hash());
                if (states.get(r.author()) != State.REMOVED) {
                    states.put(r.author(), State.LEFT);
                }
                return null;
            }
            case MembershipRecords.ADMIT, MembershipRecords.REMOVE -> {
                boolean admit = r.type().equals(MembershipRecords.ADMIT);
                if (!MembershipRecords.hasExactly(body, "signatures", "statement") || !body.get("signatures").isObject()) {
                    return "The " + (admit ? "admission" : "removal") + " is not well formed.";
                }
                JsonNode s = body.get("statement");
                boolean shape = admit
                        ? MembershipRecords.hasExactly(s, "after", "coop", "genesis", "member", "name", "nonce")
                        && s.get("after").isArray() && s.get("name").isTextual() && s.get("nonce").isTextual()
                        : MembershipRecords.hasExactly(s, "coop", "genesis", "member", "reason") && s.get("reason").isTextual();
                if (!shape || !MembershipRecords.isKey(s.get("member"))) {
                    return "The " + (admit ? "admission" : "removal") + " statement is not well formed.";
                }
                if (!s.get("coop").asText().equals(genesis.coop()) || !s.get("genesis").asText().equals(genesis.hash())) {
                    return "The statement was made for another cooperative.";
                }
                if (!admit && genesis.stewards().contains(s.get("member").asText())) {
                    return "A steward cannot be removed by a removal record.";
                }
                Statement statement = (admit ? admissions : removals)
                        .computeIfAbsent(MembershipRecords.statementHash(s), h -> new Statement(s));
                int before = statement.signatures.size();
                List<String> bad = new ArrayList<>();
                body.get("signatures").fields().forEachRemaining(e -> {
                    byte[] sig = decode(e.getValue());
                    if (genesis.stewards().contains(e.getKey()) && sig != null && MembershipRecords.verify(e.getKey(),
                            admit ? MembershipRecords.ADMISSION_DOMAIN : MembershipRecords.REMOVAL_DOMAIN, s, sig)) {
                        statement.signatures.putIfAbsent(e.getKey(), sig);
                    } else {
                        bad.add(e.getKey());
                    }
                });
                if (!bad.isEmpty()) {
                    return bad.size() + (bad.size() == 1 ? " signature is" : " signatures are")
                            + " not a steward's valid signature over the statement"
                            + (statement.signatures.size() > before ? " (the others count)." : ".");
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private static byte[] decode(JsonNode sig) {
        if (!sig.isTextual()) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(sig.asText());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public Genesis genesis() {
        return genesis;
    }

    /** Where {@code key} stands. */
    public State state(String key) {
        return states.getOrDefault(key, State.UNKNOWN);
    }

    /** Whether records by {@code key} are to be used: it is admitted and not frozen. */
    public boolean admits(String key) {
        return state(key) == State.ADMITTED;
    }

    /** Every key in {@code state}, sorted. */
    public Set<String> inState(State state) {
        Set<String> out = new TreeSet<>();
        states.forEach((k, s) -> {
            if (s == state) {
                out.add(k);
            }
        });
        return out;
    }

    /** The admitted, not frozen keys. */
    public Set<String> members() {
        return inState(State.ADMITTED);
    }

    /** The member and steward sets and the threshold, for governance's policy. */
    public Roster roster() {
        Set<String> members = members();
        Set<String> stewards = new TreeSet<>(genesis.stewards());
        stewards.retainAll(members);
        return new Roster(genesis.coop(), members, stewards, genesis.k());
    }

    /** The name an admission gave a member, if any. */
    public Optional<String> name(String key) {
        return Optional.ofNullable(names.get(key));
    }

    /** For each pending key, how many stewards signed its admission so far. */
    public Map<String, Integer> pendingSignatures() {
        return Map.copyOf(pendingSignatures);
    }

    /** For each pending key, the admission statement with the most signatures (what another steward co-signs). */
    public Map<String, JsonNode> pendingStatements() {
        Map<String, JsonNode> copy = new TreeMap<>();
        pendingStatements.forEach((k, v) -> copy.put(k, v.deepCopy()));
        return copy;
    }

    /** For each key a removal is pending for (fewer than {@code k} signatures), its statement with the most signatures. */
    public Map<String, JsonNode> pendingRemovals() {
        Map<String, JsonNode> copy = new TreeMap<>();
        pendingRemovals.forEach((k, v) -> {
            if (state(k) != State.REMOVED) {
                copy.put(k, v.deepCopy());
            }
        });
        return copy;
    }

    /** The stewards' invitations, by invite key. */
    public Map<String, Invitation> invitations() {
        return Map.copyOf(invitations);
    }

    /** Whether an admission that {@code k} stewards signed already used {@code nonce} (an invite is used once). */
    public boolean nonceUsed(String nonce) {
        return usedNonces.contains(nonce);
    }

    /** The removals and leaves of {@code key} held here: what a new admission of it must name in {@code after}. */
    public Set<String> revocationsOf(String key) {
        return Set.copyOf(revocations.getOrDefault(key, Set.of()));
    }

    /** Membership records that cannot be used, by record hash, with the reason. */
    public Map<String, String> refusals() {
        return Map.copyOf(refusals);
    }
}
