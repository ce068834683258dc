package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuadraticTallyTest {

    @Test
    void costsAreSquaresNegativeVotesCountAndTheLatestValidVoteOfEachMemberCounts() {
        Coop coop = new Coop("alice", "bob", "carol", "dave", "erin");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.vote("alice", id, "yes", 7, "no", -5);                 // 49 + 25 = 74
        coop.vote("bob", id, "no", 10);                             // 100: exactly the budget
        LogRecord carolFirst = coop.vote("carol", id, "yes", 8);    // 64, replaced below
        LogRecord carolLater = coop.vote("carol", id, "yes", 6, "no", -8); // 36 + 64 = 100
        LogRecord daveOk = coop.vote("dave", id, "yes", 2);         // 4
        LogRecord daveOver = coop.vote("dave", id, "yes", 11);      // 121 > 100: refused, the earlier vote stays
        LogRecord erinOver = coop.vote("erin", id, "yes", 9, "no", 5); // 81 + 25 = 106: refused

        Governance g = coop.governance();
        Tally t = g.tally(id);

        // By hand: yes = 7 + 0 + 6 + 2 = 15; no = -5 + 10 - 8 + 0 = -3.
        assertThat(t.totals()).containsExactly(Map.entry("yes", 15L), Map.entry("no", -3L));
        assertThat(t.winner()).hasValue("yes");
        assertThat(t.uses()).hasSize(4).doesNotContainKey(coop.key("erin"));
        assertThat(t.uses().get(coop.key("alice")).cost()).isEqualTo(74);
        assertThat(t.uses().get(coop.key("bob")).cost()).isEqualTo(100);
        assertThat(t.uses().get(coop.key("carol")).vote()).isEqualTo(carolLater.hash());
        assertThat(t.uses().get(coop.key("dave")).vote()).isEqualTo(daveOk.hash());
        assertThat(g.refusal(daveOver.hash())).hasValue("The vote costs 121 voice credits; each member has 100.");
        assertThat(g.refusal(erinOver.hash())).hasValue("The vote costs 106 voice credits; each member has 100.");
        assertThat(t.inputs()).contains(carolFirst.hash(), carolLater.hash()).doesNotContain(daveOver.hash());
        assertThatThrownBy(() -> g.checkVote(id, Map.of("yes", 10L, "no", 1L)))
                .hasMessage("These votes cost 101 voice credits; each member has 100.");
    }

    @Test
    void aTieOrAMissedQuorumHasNoWinner() {
        Coop coop = new Coop("alice", "bob", "carol");
        String tie = coop.propose("alice", "packs", "yes", "no");
        coop.vote("alice", tie, "yes", 3);
        coop.vote("bob", tie, "no", 3);
        String needsThree = coop.write("alice", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.CHANGE_POLICY, "credits=200", "Raise the credits.", List.of("yes", "no"), "policy", 0, 3))
                .hash();
        coop.vote("alice", needsThree, "yes", 5);
        coop.vote("bob", needsThree, "yes", 5);

        Governance g = coop.governance();

        assertThat(g.tally(tie).winner()).isEmpty();
        assertThat(g.tally(tie).quorumMet()).isTrue();
        assertThat(g.tally(needsThree).totals()).containsEntry("yes", 10L);
        assertThat(g.tally(needsThree).quorumMet()).isFalse();
        assertThat(g.tally(needsThree).winner()).isEmpty();
    }

    @Test
    void membersWhoReceivedTheRecordsInDifferentOrdersComputeTheSameTally() {
        Coop coop = new Coop("alice", "bob", "carol", "dave");
        String id = coop.propose("alice", "packs", "a", "b", "c");
        coop.vote("alice", id, "a", 4, "b", -3);
        coop.vote("bob", id, "c", 9);
        coop.vote("bob", id, "c", 7, "a", 1);
        coop.delegate("carol", Scope.area("packs"), "bob");
        coop.vote("dave", id, "b", 9, "c", 1);
        List<LogRecord> records = coop.records();
        Tally reference = Governance.of(coop.policy(), records).tally(id);

        Random random = new Random(12);
        for (int i = 0; i < 25; i++) {
            List<LogRecord> shuffled = new ArrayList<>(records);
            Collections.shuffle(shuffled, random);
            shuffled.add(shuffled.get(random.nextInt(shuffled.size()))); // a replayed record changes nothing
            assertThat(Governance.of(coop.policy(), shuffled).tally(id)).isEqualTo(reference);
        }
        // By hand: a = 4 + 1 + 1 (carol through bob) = 6; b = -3 + 9 = 6; c = 7 + 7 (carol) + 1 = 15.
        assertThat(reference.totals()).containsExactly(Map.entry("a", 6L), Map.entry("b", 6L), Map.entry("c", 15L));
    }
}
