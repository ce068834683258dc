package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProposalsAndVotesTest {

    @Test
    void aProposalIsASignedRecordWhoseHashIsItsId() {
        Coop coop = new Coop("alice", "bob");
        String id = coop.propose("alice", "packs", "yes", "no");

        Governance g = coop.governance();

        Proposal p = g.proposals().get(id);
        assertThat(p.author()).isEqualTo(coop.key("alice"));
        assertThat(p.kind()).isEqualTo(ProposalKind.ADOPT_PACK);
        assertThat(p.subject()).isEqualTo("sha256:" + "ab".repeat(32));
        assertThat(p.options()).containsExactly("yes", "no");
        assertThat(p.area()).isEqualTo("packs");
        assertThat(p.closeAfter()).isEqualTo(Coop.CLOCK.millis() + 86_400_000L);
        assertThat(g.refusals()).isEmpty();
    }

    @Test
    void malformedProposalsAreRefusedWithAReason() {
        Coop coop = new Coop("alice");
        LogRecord oneOption = coop.write("alice", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.CHANGE_POLICY, "credits=200", "More credits.", List.of("yes"), "policy", 0, 0));
        var unknownKind = GovernanceRecords.proposal(ProposalKind.ADMIT_MEMBER, "x", "t", List.of("a", "b"), "m", 0, 0);
        unknownKind.put("kind", "dissolve-cooperative");
        LogRecord badKind = coop.write("alice", GovernanceRecords.PROPOSAL, unknownKind);
        LogRecord twice = coop.write("alice", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.RETIRE_PACK, "d", "t", List.of("yes", "yes"), "packs", 0, 0));
        var extraField = GovernanceRecords.proposal(ProposalKind.RETIRE_PACK, "d", "t", List.of("a", "b"), "packs", 0, 0);
        extraField.put("deadline", 5);
        LogRecord extra = coop.write("alice", GovernanceRecords.PROPOSAL, extraField);

        Governance g = coop.governance();

        assertThat(g.proposals()).isEmpty();
        assertThat(g.refusal(oneOption.hash())).hasValue("A proposal has 2 to 16 options.");
        assertThat(g.refusal(badKind.hash())).hasValue(
                "The proposal's kind 'dissolve-cooperative' is not one this version knows.");
        assertThat(g.refusal(twice.hash())).hasValue("The option 'yes' appears twice.");
        assertThat(g.refusal(extra.hash()).orElseThrow()).startsWith("A proposal has exactly the fields");
    }

    @Test
    void votesOnUnknownProposalsOrOptionsAreRefused() {
        Coop coop = new Coop("alice", "bob");
        String id = coop.propose("alice", "packs", "yes", "no");
        LogRecord unknown = coop.vote("bob", "0".repeat(64), "yes", 1);
        LogRecord badOption = coop.vote("bob", id, "maybe", 1);
        var zero = GovernanceRecords.vote(id, Map.of());
        zero.with("votes").put("yes", 0);
        LogRecord zeroVotes = coop.write("bob", GovernanceRecords.VOTE, zero);
        LogRecord good = coop.vote("bob", id, "yes", 2);

        Governance g = coop.governance();

        assertThat(g.refusal(unknown.hash())).hasValue("The vote names a proposal this member does not know.");
        assertThat(g.refusal(badOption.hash())).hasValue("The vote names 'maybe', which is not an option of the proposal.");
        assertThat(g.refusal(zeroVotes.hash())).hasValue("The votes on 'yes' are not a non-zero whole number.");
        assertThat(g.refusal(good.hash())).isEmpty();
        assertThatThrownBy(() -> g.checkVote(id, Map.of("maybe", 1L)))
                .hasMessage("'maybe' is not an option of the proposal.");
        assertThatThrownBy(() -> g.checkVote("1".repeat(64), Map.of("yes", 1L)))
                .hasMessageContaining("is known");
    }

    @Test
    void forgedForeignAndNonMemberVotesAreRefused() {
        Coop coop = new Coop("alice", "bob");
        String id = coop.propose("alice", "packs", "yes", "no");
        LogRecord honest = coop.vote("bob", id, "no", 3);
        // Bob's signed record with its votes changed: the signature no longer covers the bytes.
        String wire = new String(honest.wire(), StandardCharsets.UTF_8).replace("\"no\":3", "\"no\":-3");
        LogRecord forged = LogRecord.parse(wire.getBytes(StandardCharsets.UTF_8));
        MeshLog otherCoop = new MeshLog("another-coop", Coop.seeded(2), new MemoryRecordStore(), Coop.CLOCK);
        LogRecord foreign = otherCoop.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 1)));
        MeshLog stranger = new MeshLog(Coop.ID, Coop.seeded(99), new MemoryRecordStore(), Coop.CLOCK);
        LogRecord outsider = stranger.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("yes", 9)));
        coop.extra.addAll(List.of(forged, foreign, outsider));

        Governance g = coop.governance();

        assertThat(g.refusal(forged.hash())).hasValue("The record's signature does not verify.");
        assertThat(g.refusal(foreign.hash())).hasValue("The record belongs to another cooperative.");
        assertThat(g.refusal(outsider.hash())).hasValue("The author is not a member of the cooperative.");
        assertThat(g.tally(id).totals()).containsExactly(Map.entry("yes", 0L), Map.entry("no", 3L));
    }

    @Test
    void twoDifferentSignedRecordsAtOnePlaceOfALogAreBothRefused() {
        Coop coop = new Coop("alice", "bob");
        String id = coop.propose("alice", "packs", "yes", "no");
        LogRecord one = coop.vote("bob", id, "yes", 5);
        // Bob's key signs another record at the same place, on another device (a restored backup, or cheating).
        MeshLog copy = new MeshLog(Coop.ID, Coop.seeded(2), new MemoryRecordStore(), Coop.CLOCK);
        LogRecord other = copy.append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id, Map.of("no", 5)));
        coop.extra.add(other);

        Governance g = coop.governance();

        assertThat(other.seq()).isEqualTo(one.seq());
        assertThat(g.refusal(one.hash())).hasValue("The author signed two different records at one place of their log.");
        assertThat(g.refusal(other.hash())).hasValue("The author signed two different records at one place of their log.");
        assertThat(g.tally(id).uses()).isEmpty();
    }
}
