package org.sovereign.mesh.governance;

import java.util.List;

/**
 * A proposal as read from its {@code coop.proposal} record. Its id is the record's hash.
 *
 * @param id        the proposal record's hash (lower-case hex)
 * @param author    who proposed it (hex)
 * @param kind      what it decides
 * @param subject   what it is about (a pack digest, a policy name and value, a member key; see {@link ProposalKind})
 * @param text      the proposal in the proposer's words
 * @param options   the options voted on, in order (at least two, distinct)
 * @param area      the area for delegation (e.g. {@code packs}, {@code policy}, {@code members}, {@code revenue})
 * @param closeAfter the author's clock after which stewards may close it (informational; inclusion in a signed close
 *                   decides what counts, never a timestamp)
 * @param quorum    how many members' weights (direct or delegated) must count for the result to stand
 * @param under     the id of the policy-change proposal whose outcome this proposal is decided under, or empty for the
 *                  cooperative's starting policy (docs/mesh.md "Policy changes")
 */
public record Proposal(String id, String author, ProposalKind kind, String subject, String text, List<String> options,
                       String area, long closeAfter, int quorum, java.util.Optional<String> under) {
    public Proposal {
        options = List.copyOf(options);
    }

    /** A proposal decided under the starting policy. */
    public Proposal(String id, String author, ProposalKind kind, String subject, String text, List<String> options,
                    String area, long closeAfter, int quorum) {
        this(id, author, kind, subject, text, options, area, closeAfter, quorum, java.util.Optional.empty());
    }

    /** Whether passing this proposal changes the policy (change-policy or change-shares). */
    public boolean changesPolicy() {
        return kind == ProposalKind.CHANGE_POLICY || kind == ProposalKind.CHANGE_SHARES;
    }
}
