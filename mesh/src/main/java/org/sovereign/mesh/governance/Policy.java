package org.sovereign.mesh.governance;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The cooperative's governance policy: who may vote, who the stewards are, how many stewards must sign a close, the
 * voice credits each member has per cycle, and the values of the revenue split. Who is a member and who is a steward
 * is given from outside (admission records); the other values start here and change only through closed
 * {@code change-policy} and {@code change-shares} proposals ({@link #with}, docs/mesh.md "Policy changes").
 *
 * @param coop         the cooperative's id; records of another cooperative are refused
 * @param members      the admitted members' keys (lower-case hex)
 * @param stewards     the stewards' keys (lower-case hex), a subset of the members
 * @param k            how many distinct stewards must sign the same close
 * @param credits      voice credits per member per cycle; a cycle is one proposal (docs/mesh.md "Quadratic voting")
 * @param quorum       the least number of members who must count for any proposal's result to stand (a proposal may
 *                     ask for more)
 * @param stewardFloor the share of a revenue split each steward receives at least, in parts per million
 * @param weights      the weight of each kind of contribution in the split ({@code pack:DIGEST} or {@code service:NAME});
 *                     anything not listed weighs 1
 */
public record Policy(String coop, Set<String> members, Set<String> stewards, int k, int credits, int quorum,
                     int stewardFloor, Map<String, Integer> weights) {
    /** Voice credits per member per cycle unless the cooperative voted otherwise. */
    public static final int DEFAULT_CREDITS = 100;
    /** A revenue split is shared out in this many parts. */
    public static final int PARTS = 1_000_000;
    /** The names a {@code change-policy} proposal may change. */
    public static final Set<String> POLICY_VALUES = Set.of("credits", "quorum", "steward-threshold");
    private static final Pattern WEIGHT = Pattern.compile("weight:(pack|service):[A-Za-z0-9:._-]{1,100}");

    public Policy {
        members = Set.copyOf(members);
        stewards = Set.copyOf(stewards);
        weights = java.util.Collections.unmodifiableMap(new TreeMap<>(weights));
        if (k < 1 || k > stewards.size()) {
            throw new IllegalArgumentException("The steward threshold must be between 1 and the number of stewards ("
                    + stewards.size() + "), not " + k + ".");
        }
        if (credits < 1) {
            throw new IllegalArgumentException("Each member needs at least one voice credit, not " + credits + ".");
        }
        if (quorum < 0) {
            throw new IllegalArgumentException("A quorum is zero or more members, not " + quorum + ".");
        }
        if (stewardFloor < 0 || (long) stewardFloor * stewards.size() > PARTS) {
            throw new IllegalArgumentException("The stewards' floors together cannot exceed the whole split.");
        }
        if (!members.containsAll(stewards)) {
            throw new IllegalArgumentException("Every steward must be a member.");
        }
        weights.forEach((what, w) -> {
            if (w < 0 || w > 1_000_000) {
                throw new IllegalArgumentException("A weight is a whole number from 0 to 1000000, not " + w + ".");
            }
        });
    }

    /** A policy with no quorum of its own, no steward floor and every contribution weighing 1. */
    public Policy(String coop, Set<String> members, Set<String> stewards, int k, int credits) {
        this(coop, members, stewards, k, credits, 0, 0, Map.of());
    }

    /**
     * This policy with one value changed, as a passed proposal's subject {@code NAME=VALUE} says: {@code credits},
     * {@code quorum}, {@code steward-threshold} (change-policy); {@code steward-floor} (parts per million) or
     * {@code weight:pack:DIGEST} / {@code weight:service:NAME} (change-shares).
     *
     * @throws GovernanceException when the subject names no such value or the value is out of range
     */
    public Policy with(ProposalKind kind, String subject) {
        int eq = subject.lastIndexOf('=');
        if (eq < 1) {
            throw new GovernanceException("A change is written NAME=VALUE, not '" + subject + "'.");
        }
        String name = subject.substring(0, eq);
        int value;
        try {
            value = Integer.parseInt(subject.substring(eq + 1));
        } catch (NumberFormatException e) {
            throw new GovernanceException("The new value of " + name + " is not a whole number.");
        }
        try {
            if (kind == ProposalKind.CHANGE_POLICY) {
                return switch (name) {
                    case "credits" -> new Policy(coop, members, stewards, k, value, quorum, stewardFloor, weights);
                    case "quorum" -> new Policy(coop, members, stewards, k, credits, value, stewardFloor, weights);
                    case "steward-threshold" -> new Policy(coop, members, stewards, value, credits, quorum,
                            stewardFloor, weights);
                    default -> throw new GovernanceException("A policy change names credits, quorum or "
                            + "steward-threshold, not '" + name + "'.");
                };
            }
            if (kind == ProposalKind.CHANGE_SHARES) {
                if (name.equals("steward-floor")) {
                    return new Policy(coop, members, stewards, k, credits, quorum, value, weights);
                }
                if (WEIGHT.matcher(name).matches()) {
                    Map<String, Integer> changed = new TreeMap<>(weights);
                    changed.put(name.substring("weight:".length()), value);
                    return new Policy(coop, members, stewards, k, credits, quorum, stewardFloor, changed);
                }
                throw new GovernanceException("A share change names steward-floor or weight:pack:DIGEST or "
                        + "weight:service:NAME, not '" + name + "'.");
            }
        } catch (IllegalArgumentException e) {
            throw new GovernanceException(e.getMessage());
        }
        throw new GovernanceException("A " + kind.wireName() + " proposal changes no policy value.");
    }

    /** The weight of a contribution ({@code pack:DIGEST} or {@code service:NAME}). */
    public int weight(String what) {
        return weights.getOrDefault(what, 1);
    }
}
