package org.sovereign.mesh;

import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceException;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.ProposalKind;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.Membership;
import org.sovereign.mesh.membership.MembershipGate;
import org.sovereign.store.LocalStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A member's view of its cooperative's governance, for the window: the proposals and their tallies computed from the
 * signed records in the vault under the signed roster (members, stewards, threshold), and casting this member's vote.
 * Only for a cooperative this workstation founded or joined (it holds the genesis). Not thread-safe.
 */
public final class MemberGovernance {
    private final MeshLog log;
    private final MembershipGate gate;
    private final String name;
    private Governance governance;

    private MemberGovernance(MeshLog log, MembershipGate gate, String name) {
        this.log = log;
        this.gate = gate;
        this.name = name;
        refresh();
    }

    /** The governance of the cooperative this workstation joined, or empty when it joined none. */
    public static Optional<MemberGovernance> open(Path dataDirectory, LocalStore store) {
        Optional<Genesis> genesis = JoinedCooperative.load(dataDirectory).map(JoinedCooperative::genesis);
        if (genesis.isEmpty()) {
            return Optional.empty();
        }
        Genesis g = genesis.get();
        MembershipGate gate = MembershipGate.over(g, VaultRecordStore.open(store.session(), g.coop()));
        MeshLog log = new MeshLog(g.coop(), RecordSigner.of(store.session()), gate, Clock.systemUTC(), gate);
        return Optional.of(new MemberGovernance(log, gate, g.name()));
    }

    /** Reads the records again (after a sync or a vote). */
    public void refresh() {
        Membership.Roster roster = gate.membership().orElseThrow().roster();
        Policy policy = new Policy(roster.coop(), roster.members(), roster.stewards(), roster.k(),
                Policy.DEFAULT_CREDITS);
        governance = Governance.of(policy, Governance.recordsOf(log));
    }

    /** The cooperative's name. */
    public String name() {
        return name;
    }

    public Governance governance() {
        return governance;
    }

    /** Whether this workstation is an admitted member (only members' votes count). */
    public boolean isMember() {
        return governance.policy().members().contains(log.self());
    }

    /** This member's key, hex. */
    public String self() {
        return log.self();
    }

    /** The voice credits this member has for {@code proposal}. */
    public int credits(String proposal) {
        return governance.policyFor(proposal).credits();
    }

    /**
     * Signs and stores a proposal of this member (closable by the stewards after {@code open}); returns its id.
     */
    public String propose(ProposalKind kind, String subject, String text, List<String> options, String area,
                          Duration open) {
        LogRecord record = log.append(GovernanceRecords.PROPOSAL, GovernanceRecords.VERSION, GovernanceRecords.proposal(
                kind, subject, text, options, area, System.currentTimeMillis() + open.toMillis(), 0));
        refresh();
        Optional<String> refused = governance.refusal(record.hash());
        if (refused.isPresent()) {
            throw new GovernanceException("The proposal was written but does not count: " + refused.get());
        }
        return record.hash();
    }

    /**
     * Signs and stores this member's vote on {@code proposal} (options with 0 are left out), replacing any earlier
     * vote of it; it travels to the other members with the rest of the log.
     *
     * @throws GovernanceException with a plain reason when the vote would not count (over budget, unknown option,
     *                             closed proposal)
     */
    public LogRecord vote(Proposal proposal, Map<String, Integer> votes) {
        Map<String, Long> counted = new LinkedHashMap<>();
        votes.forEach((option, n) -> {
            if (n != 0) {
                counted.put(option, (long) n);
            }
        });
        governance.checkVote(proposal.id(), counted);
        LogRecord record = log.append(GovernanceRecords.VOTE, GovernanceRecords.VERSION,
                GovernanceRecords.vote(proposal.id(), votes));
        refresh();
        Optional<String> refused = governance.refusal(record.hash());
        if (refused.isPresent()) {
            throw new GovernanceException("The vote was written but does not count: " + refused.get());
        }
        return record;
    }
}
