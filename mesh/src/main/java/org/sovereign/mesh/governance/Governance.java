package org.sovereign.mesh.governance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.store.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The governance state of a cooperative, computed from a set of signed log records under a {@link Policy}: proposals,
 * the votes and delegations that count, tallies and closes. A pure function of the records: the order in which they
 * were received does not matter, and nothing trusts a clock. The rules are in docs/mesh.md, "Governance".
 *
 * <p>Records of other types are skipped; governance records that cannot be used are listed in {@link #refusals()} with
 * a reason.
 */
public final class Governance {
    private static final Set<String> TYPES = Set.of(GovernanceRecords.PROPOSAL, GovernanceRecords.VOTE,
            GovernanceRecords.DELEGATE, GovernanceRecords.REVOKE, GovernanceRecords.CLOSE, GovernanceRecords.USAGE,
            GovernanceRecords.COUNTERSIGN, GovernanceRecords.SPLIT);
    private static final Comparator<LogRecord> BY_PLACE =
            Comparator.comparing(LogRecord::author).thenComparingLong(LogRecord::seq).thenComparing(LogRecord::hash);

    private final Policy policy;
    private final Map<String, Proposal> proposals = new TreeMap<>();
    /** Valid vote records per proposal (well formed, within budget, by a member). */
    private final Map<String, List<LogRecord>> votes = new HashMap<>();
    private final Map<String, Map<String, Long>> voteContent = new HashMap<>();
    /** Valid delegation and revocation records, by scope. */
    private final Map<Scope, List<LogRecord>> delegations = new HashMap<>();
    private final Map<String, List<LogRecord>> closeRecords = new HashMap<>();
    /** The policy each proposal is decided under, and the policy a change proposal leaves behind. */
    private final Map<String, Policy> policies = new HashMap<>();
    private final Map<String, Policy> policiesAfter = new HashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();
    /** Usage receipts by record hash and their period; countersigners by usage hash; split records by period. */
    private final Map<String, Usage> usages;
    /** Each member's key as one shared string: lookups of the same instance skip comparing 64 characters. */
    private final Map<String, String> memberKeys = new HashMap<>();
    private final Map<String, List<LogRecord>> countersigns;
    private final Map<String, List<LogRecord>> splitRecords = new HashMap<>();
    private final Map<String, Refusal> refusals = new TreeMap<>();
    private final Map<String, Closing> closings = new HashMap<>();

    /** {@code expected}: about how many records will be read (the maps that grow per receipt are sized for it). */
    private Governance(Policy policy, int expected) {
        this.policy = policy;
        // Sized up front (a map's table is only made on its first entry): no rehashing of 100,000 receipts.
        int capacity = Math.min(expected, 1 << 22) * 2 / 3 + 16;
        this.usages = new HashMap<>(capacity);
        this.countersigns = new HashMap<>(capacity);
        policy.members().forEach(m -> memberKeys.put(m, m));
    }

    /** A usage receipt read, its period, and whether its contributor countersigned it. */
    private static final class Usage {
        final RevenueSplit.UsageReceipt receipt;
        final String period;
        boolean countersigned;

        Usage(RevenueSplit.UsageReceipt receipt, String period) {
            this.receipt = receipt;
            this.period = period;
        }
    }

    /** Reads {@code records} (any order, any types, repeats allowed) under {@code policy}. */
    public static Governance of(Policy policy, Collection<LogRecord> records) {
        Governance g = new Governance(policy, records.size());
        g.read(records);
        return g;
    }

    /** Every record held by {@code log}, in no particular order: what governance reads. */
    public static List<LogRecord> recordsOf(MeshLog log) {
        List<LogRecord> all = new ArrayList<>();
        log.heads().keySet().forEach(author -> {
            long from = 1;
            while (true) {
                List<LogRecord> page = log.range(author, from, 1000);
                if (page.isEmpty()) {
                    break;
                }
                all.addAll(page);
                from = page.get(page.size() - 1).seq() + 1;
            }
        });
        return all;
    }

    private void read(Collection<LogRecord> input) {
        Map<String, LogRecord> unique = new HashMap<>(input.size() * 4 / 3 + 16);
        for (LogRecord r : input) {
            if (TYPES.contains(r.type())) {
                unique.put(r.hash(), r);
            }
        }
        List<LogRecord> records = new ArrayList<>(unique.values());
        records.sort(BY_PLACE);
        // Two different validly signed records at one place of a log: the author equivocated; neither is used. The
        // records are sorted by place, so the records of one place are next to each other.
        boolean[] valid = new boolean[records.size()];
        boolean[] equivocated = new boolean[records.size()];
        for (int i = 0; i < records.size(); i++) {
            LogRecord r = records.get(i);
            valid[i] = r.coop().equals(policy.coop()) && r.signatureValid();
        }
        for (int i = 0, j; i < records.size(); i = j) {
            LogRecord r = records.get(i);
            int signedHere = 0;
            for (j = i; j < records.size() && records.get(j).seq() == r.seq()
                    && records.get(j).author().equals(r.author()); j++) {
                signedHere += valid[j] ? 1 : 0;
            }
            for (int x = i; x < j; x++) {
                equivocated[x] = signedHere > 1;
            }
        }
        List<LogRecord> usable = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            LogRecord r = records.get(i);
            String reason = null;
            if (!r.coop().equals(policy.coop())) {
                reason = "The record belongs to another cooperative.";
            } else if (!valid[i]) {
                reason = "The record's signature does not verify.";
            } else if (equivocated[i]) {
                reason = "The author signed two different records at one place of their log.";
            } else if (!memberKeys.containsKey(r.author())) {
                reason = "The author is not a member of the cooperative.";
            }
            if (reason != null) {
                refuse(r, reason);
            } else {
                usable.add(r);
            }
        }
        Map<String, LogRecord> proposalRecords = new HashMap<>();
        for (LogRecord r : usable) {
            if (r.type().equals(GovernanceRecords.PROPOSAL)) {
                try {
                    proposals.put(r.hash(), GovernanceRecords.readProposal(r));
                    proposalRecords.put(r.hash(), r);
                } catch (GovernanceException e) {
                    refuse(r, e.getMessage());
                }
            }
        }
        // A proposal made under a policy change this member does not hold (or that changes nothing) is not used;
        // ids are hashes of bodies that name their 'under', so the chains have no cycles and this ends.
        boolean dropped = true;
        while (dropped) {
            dropped = false;
            for (Proposal p : List.copyOf(proposals.values())) {
                Optional<String> under = p.under();
                if (under.isPresent() && (!proposals.containsKey(under.get())
                        || !proposals.get(under.get()).changesPolicy())) {
                    proposals.remove(p.id());
                    refuse(proposalRecords.get(p.id()), "The proposal is made under a policy change this member "
                            + "does not hold.");
                    dropped = true;
                }
            }
        }
        for (LogRecord r : usable) {
            try {
                switch (r.type()) {
                    case GovernanceRecords.VOTE -> readVote(r);
                    case GovernanceRecords.DELEGATE, GovernanceRecords.REVOKE -> readDelegation(r);
                    case GovernanceRecords.CLOSE -> readClose(r);
                    case GovernanceRecords.USAGE -> readUsage(r);
                    case GovernanceRecords.COUNTERSIGN -> countersigns.computeIfAbsent(
                            GovernanceRecords.countersigned(r), k -> new ArrayList<>()).add(r);
                    case GovernanceRecords.SPLIT -> readSplit(r);
                    default -> {
                    }
                }
            } catch (GovernanceException e) {
                refuse(r, e.getMessage());
            }
        }
        countersigns.forEach((usage, list) -> {
            Usage read = usages.get(usage);
            if (read != null) {
                RevenueSplit.UsageReceipt u = read.receipt;
                read.countersigned = list.stream().anyMatch(c -> c.author().equals(u.contributor()));
                list.stream().filter(c -> !c.author().equals(u.contributor())).forEach(c -> refuse(c,
                        "Only the contributor the receipt names countersigns it."));
            }
        });
        // Each proposal is decided under the policy its 'under' chain leaves: resolve the chains from their roots.
        List<Proposal> ordered = new ArrayList<>(proposals.values());
        ordered.sort(Comparator.comparingInt((Proposal p) -> depth(p.id())).thenComparing(Proposal::id));
        for (Proposal p : ordered) {
            Policy in = p.under().map(policiesAfter::get).orElse(policy);
            policies.put(p.id(), in);
            checkBudgets(p, in);
            resolveCloses(p.id());
            if (p.changesPolicy()) {
                Policy after = in;
                if (passed(p.id())) {
                    try {
                        after = in.with(p.kind(), p.subject());
                    } catch (GovernanceException e) {
                        changeProblems.put(p.id(), e.getMessage());
                    }
                }
                policiesAfter.put(p.id(), after);
            }
        }
    }

    private final Map<String, String> changeProblems = new HashMap<>();

    private int depth(String id) {
        Integer known = depths.get(id);
        if (known != null) {
            return known;
        }
        int d = proposals.get(id).under().map(u -> depth(u) + 1).orElse(0);
        depths.put(id, d);
        return d;
    }

    /** Refuses the votes on {@code p} that cost more than the credits of the policy it is decided under. */
    private void checkBudgets(Proposal p, Policy in) {
        List<LogRecord> list = votes.get(p.id());
        if (list == null) {
            return;
        }
        list.removeIf(v -> {
            long cost = cost(voteContent.get(v.hash()));
            if (cost > in.credits()) {
                refuse(v, "The vote costs " + cost + " voice credits; each member has " + in.credits() + ".");
                return true;
            }
            return false;
        });
    }

    private void refuse(LogRecord r, String reason) {
        refusals.put(r.hash(), new Refusal(r.hash(), r.author(), reason));
    }

    private void readVote(LogRecord r) {
        String id = GovernanceRecords.votedProposal(r);
        Proposal p = proposals.get(id);
        if (p == null) {
            throw new GovernanceException("The vote names a proposal this member does not know.");
        }
        Map<String, Long> content = GovernanceRecords.votes(r, p);
        votes.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        voteContent.put(r.hash(), content);
    }

    private void readDelegation(LogRecord r) {
        Scope scope = GovernanceRecords.scope(r);
        if (r.type().equals(GovernanceRecords.DELEGATE)) {
            String to = GovernanceRecords.delegateTo(r);
            if (!policy.members().contains(to)) {
                throw new GovernanceException("The delegation names someone who is not a member.");
            }
        }
        delegations.computeIfAbsent(scope, k -> new ArrayList<>()).add(r);
    }

    private void readClose(LogRecord r) {
        if (!policy.stewards().contains(r.author())) {
            throw new GovernanceException("Only stewards sign closes; the author is not one.");
        }
        JsonNode body = r.body();
        GovernanceRecords.exactly(body, Set.of("proposal", "inputs", "root", "totals", "winner"), "close");
        String id = GovernanceRecords.text(body, "proposal", 64);
        if (!proposals.containsKey(id)) {
            throw new GovernanceException("The close names a proposal this member does not know.");
        }
        closeRecords.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
    }

    private void readUsage(LogRecord r) {
        RevenueSplit.UsageReceipt u = GovernanceRecords.readUsage(r);
        String contributor = memberKeys.get(u.contributor());
        if (contributor == null) {
            throw new GovernanceException("The receipt names a contributor who is not a member.");
        }
        usages.put(r.hash(), new Usage(new RevenueSplit.UsageReceipt(u.usage(), memberKeys.get(u.consumer()),
                contributor, u.what(), u.amount()), r.bodyField("period").asText()));
    }

    private void readSplit(LogRecord r) {
        if (!policy.stewards().contains(r.author())) {
            throw new GovernanceException("Only stewards sign revenue splits; the author is not one.");
        }
        String period = GovernanceRecords.period(GovernanceRecords.text(r.body(), "period", 32));
        splitRecords.computeIfAbsent(period, k -> new ArrayList<>()).add(r);
    }

    /**
     * The revenue split of {@code period} under the policy in force ({@link #policyTip()}): every usage receipt of the
     * period that its contributor countersigned, by a member for a member.
     */
    public RevenueSplit split(String period) {
        return splitUnder(GovernanceRecords.period(period), policyTip());
    }

    private RevenueSplit splitUnder(String period, Optional<String> under) {
        List<RevenueSplit.UsageReceipt> receipts = new ArrayList<>();
        usages.values().forEach(read -> {
            if (read.countersigned && read.period.equals(period)) {
                receipts.add(read.receipt);
            }
        });
        return RevenueSplit.compute(period, under, under.map(policiesAfter::get).orElse(policy), receipts);
    }

    /**
     * A split statement as signed by stewards, checked against this member's own recomputation.
     *
     * @param digest  SHA-256 of the signed statement's canonical bytes
     * @param signers the stewards who signed exactly these bytes
     * @param needed  how many stewards the policy the statement names requires
     * @param matches whether recomputing the split under the policy the statement names gives the same bytes
     */
    public record SignedSplit(String digest, Set<String> signers, int needed, boolean matches) {
        public SignedSplit {
            signers = Set.copyOf(signers);
        }
    }

    /** The statements stewards signed for {@code period}, each recomputed byte for byte, in digest order. */
    public List<SignedSplit> signedSplits(String period) {
        Map<String, Set<String>> signers = new TreeMap<>();
        Map<String, ObjectNode> bodies = new HashMap<>();
        for (LogRecord r : splitRecords.getOrDefault(period, List.of())) {
            byte[] bytes = CanonicalJson.of(r.body());
            String digest = org.sovereign.store.vault.crypto.Hex.encode(sha256(bytes));
            signers.computeIfAbsent(digest, d -> new TreeSet<>()).add(r.author());
            bodies.put(digest, r.body());
        }
        List<SignedSplit> out = new ArrayList<>();
        signers.forEach((digest, who) -> {
            ObjectNode body = bodies.get(digest);
            JsonNode underNode = body.get("under");
            Optional<String> under = underNode == null || !underNode.isTextual() ? Optional.empty()
                    : Optional.of(underNode.asText());
            boolean known = under.isEmpty() || policiesAfter.containsKey(under.get());
            boolean matches = known && digest.equals(splitUnder(period, under).digest());
            int needed = under.map(policiesAfter::get).orElse(policy).k();
            out.add(new SignedSplit(digest, who, needed, matches));
        });
        return out;
    }

    private static byte[] sha256(byte[] data) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }

    /** The voice credits {@code votes} cost: the sum of the squares. */
    public static long cost(Map<String, Long> votes) {
        return votes.values().stream().mapToLong(n -> n * n).sum();
    }

    /** The proposals known, by id. */
    public Map<String, Proposal> proposals() {
        return java.util.Collections.unmodifiableMap(proposals);
    }

    /** The governance records not used, with the reason, by record hash. */
    public List<Refusal> refusals() {
        return List.copyOf(refusals.values());
    }

    /** Why the record {@code hash} was refused, if it was. */
    public Optional<String> refusal(String hash) {
        return Optional.ofNullable(refusals.get(hash)).map(Refusal::reason);
    }

    /** The policy given from outside: the cooperative's starting values and its members and stewards. */
    public Policy policy() {
        return policy;
    }

    /**
     * The policy {@code proposal} is decided under: the starting policy changed by every passed proposal on its
     * {@code under} chain, oldest first.
     */
    public Policy policyFor(String proposal) {
        requireKnown(proposal);
        return policies.get(proposal);
    }

    /**
     * Whether {@code proposal} is closed and its first option (the one that makes the change: "yes") won.
     */
    public boolean passed(String proposal) {
        Proposal p = requireKnown(proposal);
        Closing c = closing(proposal);
        return c.state() == Closing.State.CLOSED
                && c.result().orElseThrow().winner().filter(w -> w.equals(p.options().get(0))).isPresent();
    }

    /**
     * The policy change new proposals are made under: the passed change-policy or change-shares proposal deepest in
     * its {@code under} chain (the smallest id among equals), or empty when none passed. Two changes passed under
     * the same policy fork the chain: only one is followed, and the other must be proposed again under it.
     */
    public Optional<String> policyTip() {
        return proposals.values().stream().filter(Proposal::changesPolicy).filter(p -> passed(p.id()))
                .min(Comparator.comparingInt((Proposal p) -> -depth(p.id())).thenComparing(Proposal::id))
                .map(Proposal::id);
    }

    /** The policy in force for new proposals: the one {@link #policyTip()} leaves, else the starting policy. */
    public Policy currentPolicy() {
        return policyTip().map(policiesAfter::get).orElse(policy);
    }

    /** Why a passed change could not be applied (e.g. a steward threshold above the number of stewards), if so. */
    public Optional<String> changeProblem(String proposal) {
        return Optional.ofNullable(changeProblems.get(proposal));
    }

    /**
     * The packs the cooperative trusts: the digests of passed adopt-pack proposals, less those of passed retire-pack
     * proposals (a retirement wins over any adoption of the same digest).
     */
    public Set<String> adoptedPacks() {
        Set<String> adopted = new TreeSet<>();
        Set<String> retired = new HashSet<>();
        for (Proposal p : proposals.values()) {
            if (p.kind() == ProposalKind.ADOPT_PACK && passed(p.id())) {
                adopted.add(p.subject());
            } else if (p.kind() == ProposalKind.RETIRE_PACK && passed(p.id())) {
                retired.add(p.subject());
            }
        }
        adopted.removeAll(retired);
        return adopted;
    }

    private Proposal requireKnown(String proposal) {
        Proposal p = proposals.get(proposal);
        if (p == null) {
            throw new GovernanceException("No proposal " + proposal + " is known.");
        }
        return p;
    }

    /**
     * The tally of a proposal: over the inputs of its valid close if it has one, else over every record held
     * (provisional).
     *
     * @throws GovernanceException when the proposal is not known
     */
    public Tally tally(String proposal) {
        Closing closing = closing(proposal);
        if (closing.state() == Closing.State.CLOSED) {
            return closing.result().orElseThrow();
        }
        return tallyOver(proposal, hash -> true);
    }

    /** The inputs a close of {@code proposal} would include now: every valid vote and delegation record for it. */
    Tally tallyOver(String proposal, Predicate<String> included) {
        Proposal p = proposals.get(proposal);
        if (p == null) {
            throw new GovernanceException("No proposal " + proposal + " is known.");
        }
        TreeSet<String> inputs = new TreeSet<>();
        // The latest valid vote of each member, by the member's log sequence.
        Map<String, LogRecord> latest = new TreeMap<>();
        for (LogRecord v : votes.getOrDefault(proposal, List.of())) {
            if (included.test(v.hash())) {
                inputs.add(v.hash());
                latest.merge(v.author(), v, (a, b) -> a.seq() >= b.seq() ? a : b);
            }
        }
        // The delegation in force per member and scope: the latest delegate or revoke record by sequence.
        List<Scope> scopes = List.of(Scope.proposal(proposal), Scope.area(p.area()), Scope.global());
        List<Map<String, String>> delegateIn = new ArrayList<>();
        for (Scope scope : scopes) {
            Map<String, LogRecord> last = new HashMap<>();
            for (LogRecord d : delegations.getOrDefault(scope, List.of())) {
                if (included.test(d.hash())) {
                    inputs.add(d.hash());
                    last.merge(d.author(), d, (a, b) -> a.seq() >= b.seq() ? a : b);
                }
            }
            Map<String, String> to = new HashMap<>();
            last.forEach((author, rec) -> {
                if (rec.type().equals(GovernanceRecords.DELEGATE)) {
                    to.put(author, rec.body().get("to").asText());
                }
            });
            delegateIn.add(to);
        }
        Map<String, Long> totals = new LinkedHashMap<>();
        p.options().forEach(o -> totals.put(o, 0L));
        Map<String, Tally.Use> uses = new TreeMap<>();
        for (String member : new TreeSet<>(policy.members())) {
            resolve(member, latest, delegateIn).ifPresent(use -> {
                uses.put(member, use);
                use.votes().forEach((o, n) -> totals.merge(o, n, Long::sum));
            });
        }
        boolean quorumMet = uses.size() >= Math.max(p.quorum(), policies.get(proposal).quorum());
        Optional<String> winner = Optional.empty();
        if (quorumMet) {
            long best = totals.values().stream().mapToLong(Long::longValue).max().orElse(0);
            List<String> top = totals.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey)
                    .toList();
            if (top.size() == 1) {
                winner = Optional.of(top.get(0));
            }
        }
        List<String> sorted = new ArrayList<>(inputs);
        return new Tally(proposal, totals, uses, quorumMet, winner, sorted, Merkle.root(sorted));
    }

    /**
     * Whose vote applies to {@code member}: their own latest vote; else the delegate's in the most specific scope
     * (proposal, area, global), followed transitively. Weight flows only from direct voters: a chain that returns to
     * a member already on it (a cycle with no direct voter) or ends without a vote counts zero. The delegate's votes
     * are applied to the member's own budget (never pooled).
     */
    private Optional<Tally.Use> resolve(String member, Map<String, LogRecord> latest,
                                        List<Map<String, String>> delegateIn) {
        List<String> path = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String at = member;
        while (true) {
            path.add(at);
            seen.add(at);
            LogRecord vote = latest.get(at);
            if (vote != null) {
                Map<String, Long> content = voteContent.get(vote.hash());
                return Optional.of(new Tally.Use(member, path, content, cost(content), vote.hash()));
            }
            String next = null;
            for (Map<String, String> scope : delegateIn) {
                next = scope.get(at);
                if (next != null) {
                    break;
                }
            }
            if (next == null || seen.contains(next)) {
                return Optional.empty();
            }
            at = next;
        }
    }

    /** The state of a proposal's close. */
    public Closing closing(String proposal) {
        if (!proposals.containsKey(proposal)) {
            throw new GovernanceException("No proposal " + proposal + " is known.");
        }
        return closings.getOrDefault(proposal, new Closing(Closing.State.OPEN, Optional.empty(), Set.of(),
                "No close has been signed by " + policies.getOrDefault(proposal, policy).k() + " stewards."));
    }

    /**
     * The body a steward signs (as a {@code coop.close} record) to close {@code proposal} with every input held now.
     * Stewards who hold the same records write the same body; {@link #closing} counts distinct stewards per body.
     */
    public ObjectNode closeBody(String proposal) {
        if (closing(proposal).state() != Closing.State.OPEN) {
            throw new GovernanceException("The proposal is already closed.");
        }
        Optional<String> under = proposals.get(proposal).under();
        if (under.isPresent() && closing(under.get()).state() != Closing.State.CLOSED) {
            throw new GovernanceException("The proposal is decided under a policy change that is not closed yet; "
                    + "close that one first.");
        }
        return closeBody(tallyOver(proposal, h -> true));
    }

    static ObjectNode closeBody(Tally tally) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("proposal", tally.proposal());
        ArrayNode inputs = body.putArray("inputs");
        tally.inputs().forEach(inputs::add);
        body.put("root", tally.root());
        ObjectNode totals = body.putObject("totals");
        tally.totals().forEach(totals::put);
        if (tally.winner().isPresent()) {
            body.put("winner", tally.winner().get());
        } else {
            body.putNull("winner");
        }
        return body;
    }

    private void resolveCloses(String proposal) {
        List<LogRecord> records = closeRecords.getOrDefault(proposal, List.of());
        if (records.isEmpty()) {
            return;
        }
        Optional<String> under = proposals.get(proposal).under();
        if (under.isPresent() && closing(under.get()).state() != Closing.State.CLOSED) {
            closings.put(proposal, new Closing(Closing.State.OPEN, Optional.empty(), Set.of(), "It is decided under "
                    + "a policy change that is not closed yet; its close counts once that one is closed."));
            return;
        }
        int k = policies.get(proposal).k();
        // Group the close records by their canonical body: a close is one body signed by k stewards.
        Map<String, Set<String>> bodies = new TreeMap<>();
        Map<String, List<LogRecord>> recordsByBody = new HashMap<>();
        for (LogRecord r : records) {
            String body = new String(CanonicalJson.of(r.body()), StandardCharsets.UTF_8);
            bodies.computeIfAbsent(body, b -> new TreeSet<>()).add(r.author());
            recordsByBody.computeIfAbsent(body, b -> new ArrayList<>()).add(r);
        }
        {
            List<Closing> valid = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            bodies.forEach((body, signers) -> {
                String problem = checkClose(proposal, recordsByBody.get(body).get(0).body());
                if (problem != null) {
                    problems.add(problem);
                    recordsByBody.get(body).forEach(r -> refuse(r, problem));
                } else if (signers.size() < k) {
                    String p = "The close is signed by " + signers.size() + " of the " + k
                            + " stewards it needs.";
                    problems.add(p);
                } else {
                    Set<String> inputs = new HashSet<>();
                    recordsByBody.get(body).get(0).body().get("inputs").forEach(n -> inputs.add(n.asText()));
                    valid.add(new Closing(Closing.State.CLOSED, Optional.of(tallyOver(proposal, inputs::contains)),
                            signers, "Closed by " + signers.size() + " stewards."));
                }
            });
            if (valid.size() > 1) {
                String reason = "Two different closes were signed for this proposal; neither is used.";
                closings.put(proposal, new Closing(Closing.State.CONFLICT, Optional.empty(), Set.of(), reason));
                bodies.keySet().forEach(b -> recordsByBody.get(b).forEach(r -> refuse(r, reason)));
            } else if (valid.size() == 1) {
                Closing closed = valid.get(0);
                closings.put(proposal, closed);
                Set<String> included = new HashSet<>(closed.result().orElseThrow().inputs());
                for (LogRecord v : votes.getOrDefault(proposal, List.of())) {
                    if (!included.contains(v.hash())) {
                        refuse(v, "The vote is not in the proposal's signed close (it came after the close).");
                    }
                }
            } else {
                closings.put(proposal, new Closing(Closing.State.OPEN, Optional.empty(), Set.of(),
                        String.join(" ", problems)));
            }
        }
    }

    /** Whether a close body is consistent with the records: null if so, else the reason. */
    private String checkClose(String proposal, JsonNode body) {
        JsonNode inputsNode = body.get("inputs");
        if (!inputsNode.isArray()) {
            return "The close's inputs are not a list.";
        }
        Set<String> known = new HashSet<>();
        votes.getOrDefault(proposal, List.of()).forEach(v -> known.add(v.hash()));
        delegations.values().forEach(list -> list.forEach(d -> known.add(d.hash())));
        List<String> inputs = new ArrayList<>();
        for (JsonNode n : inputsNode) {
            if (!n.isTextual() || !known.contains(n.asText())) {
                return "The close includes records this member does not hold or cannot use.";
            }
            inputs.add(n.asText());
        }
        Set<String> set = new HashSet<>(inputs);
        Tally recomputed = tallyOver(proposal, set::contains);
        if (!recomputed.inputs().equals(inputs)) {
            return "The close's inputs are not the sorted list of records it may include.";
        }
        ObjectNode expected = closeBody(recomputed);
        // Compared as canonical bytes: a body read back from its wire form holds 9 as an int where the one written
        // held a long, and JSON trees of the two are not equal.
        if (!Arrays.equals(CanonicalJson.of(expected), CanonicalJson.of(body))) {
            return "The close's root, totals or winner differ from the tally of its inputs.";
        }
        return null;
    }

    /**
     * Checks a vote before it is written: the proposal is known and open, the options exist, and the cost is within
     * the member's credits.
     *
     * @throws GovernanceException saying why the vote cannot be cast
     */
    public void checkVote(String proposal, Map<String, Long> votes) {
        Proposal p = proposals.get(proposal);
        if (p == null) {
            throw new GovernanceException("No proposal " + proposal + " is known.");
        }
        if (closing(proposal).state() != Closing.State.OPEN) {
            throw new GovernanceException("The proposal is closed; no more votes count.");
        }
        for (Map.Entry<String, Long> e : votes.entrySet()) {
            if (!p.options().contains(e.getKey())) {
                throw new GovernanceException("'" + e.getKey() + "' is not an option of the proposal.");
            }
        }
        long cost = cost(votes);
        int credits = policies.get(proposal).credits();
        if (cost > credits) {
            throw new GovernanceException("These votes cost " + cost + " voice credits; each member has "
                    + credits + ".");
        }
    }
}
