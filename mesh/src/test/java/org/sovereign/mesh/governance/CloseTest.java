package org.sovereign.mesh.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CloseTest {

    private static Coop coop() {
        return new Coop("alice", "bob", "carol", "dave", "erin")
                .skew("dave", Duration.ofDays(3))
                .skew("erin", Duration.ofDays(-3));
    }

    @Test
    void aCloseCountsOnceKStewardsSignTheSameResultAndOnlyTheVotesItIncludesCount() {
        Coop coop = coop();
        Policy policy = coop.policy(2, "alice", "bob", "carol");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.vote("bob", id, "yes", 6);
        LogRecord future = coop.vote("dave", id, "no", 5);   // dave's clock is 3 days ahead: still counts if included
        ObjectNode body = coop.governance(policy).closeBody(id);

        LogRecord aliceClose = coop.write("alice", GovernanceRecords.CLOSE, body);
        Closing one = coop.governance(policy).closing(id);
        assertThat(one.state()).isEqualTo(Closing.State.OPEN);
        assertThat(one.reason()).isEqualTo("The close is signed by 1 of the 2 stewards it needs.");

        coop.write("bob", GovernanceRecords.CLOSE, body);
        LogRecord late = coop.vote("erin", id, "no", 10);    // erin's clock says 3 days earlier, but the close excludes it
        Governance g = coop.governance(policy);
        Closing closed = g.closing(id);

        assertThat(closed.state()).isEqualTo(Closing.State.CLOSED);
        assertThat(closed.signers()).containsExactlyInAnyOrder(coop.key("alice"), coop.key("bob"));
        assertThat(future.time()).isGreaterThan(aliceClose.time());
        assertThat(late.time()).isLessThan(aliceClose.time());
        // By hand: yes = bob 6; no = dave 5; erin's 10 is not in the close.
        assertThat(g.tally(id).totals()).containsExactly(Map.entry("yes", 6L), Map.entry("no", 5L));
        assertThat(g.tally(id).winner()).hasValue("yes");
        assertThat(g.refusal(late.hash())).hasValue(
                "The vote is not in the proposal's signed close (it came after the close).");
        assertThat(g.refusal(future.hash())).isEmpty();
        assertThatThrownBy(() -> g.checkVote(id, Map.of("yes", 1L))).hasMessage("The proposal is closed; no more votes count.");
        assertThat(closed.result().orElseThrow().root()).isEqualTo(body.get("root").asText());
    }

    @Test
    void aCloseReadBackFromItsWireFormIsStillAccepted() {
        Coop coop = coop();
        Policy policy = coop.policy(1, "alice");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.vote("bob", id, "yes", 6);
        coop.write("alice", GovernanceRecords.CLOSE, coop.governance(policy).closeBody(id));

        // What a peer or the vault hands back is the parsed wire form, not the object that was signed.
        java.util.List<LogRecord> received = coop.records().stream().map(r -> LogRecord.parse(r.wire())).toList();
        Governance g = Governance.of(policy, received);

        assertThat(g.closing(id).state()).as(g.closing(id).reason()).isEqualTo(Closing.State.CLOSED);
        assertThat(g.refusals()).isEmpty();
    }

    @Test
    void closesByNonStewardsOrWithAResultThatDoesNotMatchTheRecordsAreRefused() {
        Coop coop = coop();
        Policy policy = coop.policy(2, "alice", "bob", "carol");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.vote("bob", id, "no", 4);
        ObjectNode honest = coop.governance(policy).closeBody(id);
        LogRecord byMember = coop.write("dave", GovernanceRecords.CLOSE, honest);
        ObjectNode lie = honest.deepCopy();
        lie.with("totals").put("yes", 50);
        lie.put("winner", "yes");
        LogRecord aliceLie = coop.write("alice", GovernanceRecords.CLOSE, lie);
        LogRecord bobLie = coop.write("bob", GovernanceRecords.CLOSE, lie);

        Governance g = coop.governance(policy);

        assertThat(g.refusal(byMember.hash())).hasValue("Only stewards sign closes; the author is not one.");
        assertThat(g.refusal(aliceLie.hash())).hasValue(
                "The close's root, totals or winner differ from the tally of its inputs.");
        assertThat(g.refusal(bobLie.hash())).isPresent();
        assertThat(g.closing(id).state()).isEqualTo(Closing.State.OPEN);
        assertThat(g.tally(id).totals()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 4L));
    }

    @Test
    void twoDifferentClosesEachSignedByKStewardsAreAConflictAndNeitherCounts() {
        Coop coop = coop();
        Policy policy = coop.policy(2, "alice", "bob", "carol", "dave");
        String id = coop.propose("alice", "packs", "yes", "no");
        coop.vote("erin", id, "yes", 3);
        ObjectNode early = coop.governance(policy).closeBody(id);
        coop.vote("erin", id, "no", 9);
        ObjectNode later = coop.governance(policy).closeBody(id);
        coop.write("alice", GovernanceRecords.CLOSE, early);
        coop.write("bob", GovernanceRecords.CLOSE, early);
        coop.write("carol", GovernanceRecords.CLOSE, later);
        coop.write("dave", GovernanceRecords.CLOSE, later);

        Governance g = coop.governance(policy);

        assertThat(early).isNotEqualTo(later);
        assertThat(g.closing(id).state()).isEqualTo(Closing.State.CONFLICT);
        assertThat(g.closing(id).reason()).isEqualTo(
                "Two different closes were signed for this proposal; neither is used.");
        assertThat(g.refusals()).hasSize(4);
    }

    @Test
    void theMerkleRootOfTheInputsIsComputedAsDocumented() {
        String a = "00".repeat(32);
        String b = "11".repeat(32);
        String c = "22".repeat(32);
        // By hand from the definition: leaves H(0x00||x), nodes H(0x01||l||r), the odd last node carried up.
        String la = sha("00" + a);
        String lb = sha("00" + b);
        String lc = sha("00" + c);
        assertThat(Merkle.root(java.util.List.of(a))).isEqualTo(la);
        assertThat(Merkle.root(java.util.List.of(a, b, c))).isEqualTo(sha("01" + sha("01" + la + lb) + lc));
        assertThat(Merkle.root(java.util.List.of())).isEqualTo(sha(""));
    }

    private static String sha(String hex) {
        try {
            return org.sovereign.store.vault.crypto.Hex.encode(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(org.sovereign.store.vault.crypto.Hex.decode(hex)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
