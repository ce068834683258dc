package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Change-policy and change-shares proposals: they take effect after a valid close, along their 'under' chain only. */
class PolicyChangeTest {

    private static String change(Coop coop, String name, ProposalKind kind, String subject, Optional<String> under) {
        return coop.write(name, GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(kind, subject,
                "Change " + subject + ".", List.of("yes", "no"), "policy", 0, 0, under)).hash();
    }

    private static String pack(Coop coop, Optional<String> under) {
        return coop.write("carol", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "ef".repeat(32), "Adopt.", List.of("yes", "no"), "packs", 0, 0, under)).hash();
    }

    private static void close(Coop coop, Policy policy, String id, String... stewards) {
        var body = coop.governance(policy).closeBody(id);
        for (String s : stewards) {
            coop.write(s, GovernanceRecords.CLOSE, body);
        }
    }

    @Test
    void passedChangesApplyToProposalsMadeUnderThemAndNeverToEarlierOnes() {
        Coop coop = new Coop("alice", "bob", "carol");
        Policy base = coop.policy(1, "alice", "bob");
        String credits = change(coop, "carol", ProposalKind.CHANGE_POLICY, "credits=200", Optional.empty());
        coop.vote("bob", credits, "yes", 3);
        String before = pack(coop, Optional.empty());
        close(coop, base, credits, "alice");

        Governance g = coop.governance(base);
        assertThat(g.passed(credits)).isTrue();
        assertThat(g.policyTip()).hasValue(credits);
        assertThat(g.currentPolicy().credits()).isEqualTo(200);
        assertThat(g.policyFor(before).credits()).isEqualTo(100);

        String after = pack(coop, g.policyTip());
        LogRecord big = coop.vote("bob", after, "yes", 14);          // 196 credits: within 200
        LogRecord tooBig = coop.vote("bob", before, "yes", 14);      // 196 > 100 under the starting policy
        String threshold = change(coop, "carol", ProposalKind.CHANGE_POLICY, "steward-threshold=2", Optional.of(credits));
        coop.vote("carol", threshold, "yes", 1);
        close(coop, base, before, "alice");                          // k = 1 for proposals under the starting policy
        close(coop, base, threshold, "alice");                       // k = 1 under credits=200 too

        g = coop.governance(base);
        assertThat(g.refusal(big.hash())).isEmpty();
        assertThat(g.refusal(tooBig.hash())).hasValue("The vote costs 196 voice credits; each member has 100.");
        assertThat(g.policyTip()).hasValue(threshold);
        assertThat(g.currentPolicy().k()).isEqualTo(2);
        assertThat(g.currentPolicy().credits()).isEqualTo(200);
        assertThat(g.closing(before).state()).isEqualTo(Closing.State.CLOSED);   // not undone by the later change

        String later = pack(coop, g.policyTip());
        coop.vote("alice", later, "no", 2);
        close(coop, base, later, "alice");
        Closing one = coop.governance(base).closing(later);
        assertThat(one.state()).isEqualTo(Closing.State.OPEN);
        assertThat(one.reason()).isEqualTo("The close is signed by 1 of the 2 stewards it needs.");
        coop.write("bob", GovernanceRecords.CLOSE, coop.governance(base).closeBody(later));
        assertThat(coop.governance(base).closing(later).state()).isEqualTo(Closing.State.CLOSED);
    }

    @Test
    void aProposalUnderAnOpenChangeWaitsAndOneUnderAnUnknownChangeIsRefused() {
        Coop coop = new Coop("alice", "bob");
        Policy base = coop.policy(1, "alice");
        String quorum = change(coop, "bob", ProposalKind.CHANGE_POLICY, "quorum=2", Optional.empty());
        String waiting = coop.write("alice", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "ef".repeat(32), "Adopt.", List.of("yes", "no"), "packs", 0, 0)).hash();
        String under = coop.write("bob", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "12".repeat(32), "Adopt.", List.of("yes", "no"), "packs", 0, 0, Optional.of(quorum))).hash();
        LogRecord orphan = coop.write("bob", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.ADOPT_PACK, "sha256:" + "34".repeat(32), "Adopt.", List.of("yes", "no"), "packs", 0, 0,
                Optional.of("9".repeat(64))));
        LogRecord underAPack = coop.write("bob", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.ADOPT_PACK, "sha256:" + "56".repeat(32), "Adopt.", List.of("yes", "no"), "packs", 0, 0,
                Optional.of(waiting)));
        coop.vote("alice", under, "yes", 1);

        Governance g = coop.governance(base);
        assertThat(g.refusal(orphan.hash())).hasValue("The proposal is made under a policy change this member does "
                + "not hold.");
        assertThat(g.refusal(underAPack.hash())).isPresent();
        assertThatThrownBy(() -> g.closeBody(under)).hasMessageStartingWith("The proposal is decided under a policy "
                + "change that is not closed yet");

        coop.vote("bob", quorum, "yes", 1);
        close(coop, base, quorum, "alice");
        Governance closed = coop.governance(base);
        assertThat(closed.policyFor(under).quorum()).isEqualTo(2);
        // By hand: only alice counted on 'under', and the quorum it is decided under is 2: no winner.
        assertThat(closed.tally(under).quorumMet()).isFalse();
        assertThat(closed.tally(under).winner()).isEmpty();
    }

    @Test
    void aChangeThatCannotApplyIsShownAndChangesNothing() {
        Coop coop = new Coop("alice", "bob");
        Policy base = coop.policy(1, "alice");
        String k = change(coop, "bob", ProposalKind.CHANGE_POLICY, "steward-threshold=3", Optional.empty());
        String floor = change(coop, "bob", ProposalKind.CHANGE_SHARES, "steward-floor=100000", Optional.empty());
        coop.vote("bob", k, "yes", 1);
        coop.vote("bob", floor, "yes", 1);
        close(coop, base, k, "alice");
        close(coop, base, floor, "alice");

        Governance g = coop.governance(base);
        assertThat(g.passed(k)).isTrue();
        assertThat(g.changeProblem(k)).hasValue("The steward threshold must be between 1 and the number of stewards "
                + "(1), not 3.");
        assertThat(g.changeProblem(floor)).isEmpty();
        // Both passed under the starting policy: a fork; the tip is the smaller id, and only its change is in force.
        String tip = k.compareTo(floor) < 0 ? k : floor;
        assertThat(g.policyTip()).hasValue(tip);
        assertThat(g.currentPolicy().k()).isEqualTo(1);
        assertThat(g.currentPolicy().stewardFloor()).isEqualTo(tip.equals(floor) ? 100_000 : 0);
    }
}
