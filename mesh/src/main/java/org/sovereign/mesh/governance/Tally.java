package org.sovereign.mesh.governance;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The result of a proposal, computed from records alone: every member who holds the same records computes the same
 * tally.
 *
 * @param proposal   the proposal's id
 * @param totals     the sum of votes per option, in the proposal's option order
 * @param uses       per member whose weight counted: how (directly or through which delegates) and with what votes
 * @param quorumMet  whether at least the proposal's quorum of members counted
 * @param winner     the option with the strictly highest total, if the quorum was met and there is no tie
 * @param inputs     the hashes of the vote, delegation and revocation records considered, sorted
 * @param root       the Merkle root of {@code inputs} (docs/mesh.md)
 */
public record Tally(String proposal, Map<String, Long> totals, Map<String, Use> uses, boolean quorumMet,
                    Optional<String> winner, List<String> inputs, String root) {
    public Tally {
        totals = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(totals));
        uses = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(uses));
        inputs = List.copyOf(inputs);
    }

    /**
     * How one member's credits were used (the "golden rule": a delegator sees what was done with their vote).
     *
     * @param member the member
     * @param path   the member, then each delegate followed, ending with the member whose own vote was applied
     * @param votes  the votes applied to this member's own budget
     * @param cost   their cost in voice credits (the sum of the squares)
     * @param vote   the hash of the vote record applied
     */
    public record Use(String member, List<String> path, Map<String, Long> votes, long cost, String vote) {
        public Use {
            path = List.copyOf(path);
            votes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(votes));
        }

        /** Whether the member voted themselves. */
        public boolean direct() {
            return path.size() == 1;
        }
    }
}
