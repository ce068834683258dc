package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DelegationTest {

    @Test
    void aChainEndsAtTheFirstDirectVoterAndTheVotesApplyToEachDelegatorsOwnBudget() {
        Coop coop = new Coop("alice", "bob", "carol", "dave");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.delegate("alice", Scope.global(), "bob");
        coop.delegate("bob", Scope.area("packs"), "carol");
        coop.vote("carol", id, "yes", 10);
        coop.vote("dave", id, "no", 6);

        Tally t = coop.governance().tally(id);

        // By hand: alice -> bob -> carol and bob -> carol each apply carol's 10 to their own 100 credits (no pooling).
        assertThat(t.totals()).containsExactly(Map.entry("yes", 30L), Map.entry("no", 6L));
        Tally.Use alice = t.uses().get(coop.key("alice"));
        assertThat(alice.path()).containsExactly(coop.key("alice"), coop.key("bob"), coop.key("carol"));
        assertThat(alice.direct()).isFalse();
        assertThat(alice.cost()).isEqualTo(100);
        assertThat(t.uses().get(coop.key("carol")).direct()).isTrue();
    }

    @Test
    void aDelegatorsOwnVoteOverridesTheirDelegation() {
        Coop coop = new Coop("alice", "bob");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.delegate("alice", Scope.proposal(id), "bob");
        coop.vote("bob", id, "yes", 5);
        coop.vote("alice", id, "no", 4);

        Tally t = coop.governance().tally(id);

        assertThat(t.totals()).containsExactly(Map.entry("yes", 5L), Map.entry("no", 4L));
        assertThat(t.uses().get(coop.key("alice")).direct()).isTrue();
    }

    @Test
    void aCycleWithoutADirectVoterCountsZeroAndWithOneStopsThere() {
        Coop coop = new Coop("alice", "bob", "carol", "dave");
        String first = coop.propose("dave", "packs", "yes", "no");
        coop.delegate("alice", Scope.global(), "bob");
        coop.delegate("bob", Scope.global(), "carol");
        coop.delegate("carol", Scope.global(), "alice");
        coop.vote("dave", first, "no", 2);

        Tally noVoter = coop.governance().tally(first);

        // A -> B -> C -> A: weight flows only from direct voters, so none of the three counts.
        assertThat(noVoter.totals()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 2L));
        assertThat(noVoter.uses()).containsOnlyKeys(coop.key("dave"));

        String second = coop.propose("dave", "packs", "yes", "no");
        coop.vote("carol", second, "yes", 3);
        Tally withVoter = coop.governance().tally(second);

        // Carol votes: alice -> bob -> carol and bob -> carol use her 3; carol's own delegation is overridden.
        assertThat(withVoter.totals()).containsExactly(Map.entry("yes", 9L), Map.entry("no", 0L));
        assertThat(withVoter.uses().get(coop.key("alice")).path())
                .containsExactly(coop.key("alice"), coop.key("bob"), coop.key("carol"));
    }

    @Test
    void theMostSpecificScopeWinsAndALaterRevocationEndsADelegation() {
        Coop coop = new Coop("alice", "bob", "carol", "dave", "erin");
        String p = coop.propose("erin", "packs", "yes", "no");
        String q = coop.propose("erin", "packs", "yes", "no");
        String r = coop.write("erin", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.CHANGE_POLICY,
                "quorum=3", "Require three voters.", List.of("yes", "no"), "policy", 0, 0)).hash();
        coop.delegate("alice", Scope.global(), "bob");
        coop.delegate("alice", Scope.area("packs"), "carol");
        coop.delegate("alice", Scope.proposal(p), "dave");
        for (String id : List.of(p, q, r)) {
            coop.vote("bob", id, "yes", 1);
            coop.vote("carol", id, "yes", 2);
            coop.vote("dave", id, "yes", 4);
        }

        Governance g = coop.governance();
        // By hand: bob 1 + carol 2 + dave 4 = 7, plus alice's: p through dave (4), q through carol (2), r through bob (1).
        assertThat(g.tally(p).totals()).containsEntry("yes", 11L);
        assertThat(g.tally(q).totals()).containsEntry("yes", 9L);
        assertThat(g.tally(r).totals()).containsEntry("yes", 8L);

        coop.revoke("alice", Scope.area("packs"));
        coop.revoke("alice", Scope.proposal(p));
        Governance after = coop.governance();
        // Revoked on packs and on p: alice falls back to her global delegation to bob on every proposal.
        assertThat(after.tally(p).totals()).containsEntry("yes", 8L);
        assertThat(after.tally(q).totals()).containsEntry("yes", 8L);

        coop.revoke("alice", Scope.global());
        assertThat(coop.governance().tally(p).totals()).containsEntry("yes", 7L);
        assertThat(coop.governance().tally(p).uses()).doesNotContainKey(coop.key("alice"));

        coop.delegate("alice", Scope.global(), "dave");
        assertThat(coop.governance().tally(r).totals()).containsEntry("yes", 11L);
    }

    @Test
    void delegatingToOneselfOrToAStrangerIsRefused() {
        Coop coop = new Coop("alice", "bob");
        var self = coop.delegate("alice", Scope.global(), "alice");
        var body = GovernanceRecords.delegate(Scope.global(), "9".repeat(64));
        var stranger = coop.write("bob", GovernanceRecords.DELEGATE, body);
        var badScope = GovernanceRecords.delegate(Scope.global(), coop.key("alice"));
        badScope.put("scope", "everything");
        var scope = coop.write("bob", GovernanceRecords.DELEGATE, badScope);

        Governance g = coop.governance();

        assertThat(g.refusal(self.hash())).hasValue("A member cannot delegate to themselves.");
        assertThat(g.refusal(stranger.hash())).hasValue("The delegation names someone who is not a member.");
        assertThat(g.refusal(scope.hash()).orElseThrow()).startsWith("A delegation scope is 'global', 'area:NAME'");
    }
}
