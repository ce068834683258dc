package org.sovereign.mesh.governance;

import java.util.Set;

/**
 * The cooperative's governance policy: who may vote, who the stewards are, how many stewards must sign a close, and the
 * voice credits each member has per proposal.
 *
 * @param coop     the cooperative's id; records of another cooperative are refused
 * @param members  the admitted members' keys (lower-case hex)
 * @param stewards the stewards' keys (lower-case hex), a subset of the members
 * @param k        how many distinct stewards must sign the same close
 * @param credits  voice credits per member per cycle (one proposal is one cycle)
 */
public record Policy(String coop, Set<String> members, Set<String> stewards, int k, int credits) {
    /** Voice credits per member per cycle unless the cooperative voted otherwise. */
    public static final int DEFAULT_CREDITS = 100;

    public Policy {
        members = Set.copyOf(members);
        stewards = Set.copyOf(stewards);
        if (k < 1 || k > stewards.size()) {
            throw new IllegalArgumentException("The steward threshold must be between 1 and the number of stewards ("
                    + stewards.size() + "), not " + k + ".");
        }
        if (credits < 1) {
            throw new IllegalArgumentException("Each member needs at least one voice credit, not " + credits + ".");
        }
        if (!members.containsAll(stewards)) {
            throw new IllegalArgumentException("Every steward must be a member.");
        }
    }
}
