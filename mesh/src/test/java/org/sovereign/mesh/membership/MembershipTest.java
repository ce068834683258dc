package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.RecordSigner;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.mesh.membership.Coop.hex;
import static org.sovereign.mesh.membership.Membership.State.ADMITTED;
import static org.sovereign.mesh.membership.Membership.State.FROZEN;
import static org.sovereign.mesh.membership.Membership.State.LEFT;
import static org.sovereign.mesh.membership.Membership.State.PENDING;
import static org.sovereign.mesh.membership.Membership.State.REMOVED;
import static org.sovereign.mesh.membership.Membership.State.UNKNOWN;

/** Membership computed from records alone: k-of-n admissions, removals, leaves, replays and forgeries. */
class MembershipTest {
    private final RecordSigner s1 = Coop.key(1);
    private final RecordSigner s2 = Coop.key(2);
    private final RecordSigner s3 = Coop.key(3);
    private final RecordSigner ann = Coop.key(10);
    private final RecordSigner bob = Coop.key(11);

    @Test
    void theGenesisStewardsAreMembersAndNobodyElseIs() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        Membership m = coop.membership();
        assertThat(m.members()).containsExactlyInAnyOrder(hex(s1), hex(s2), hex(s3));
        assertThat(m.state(hex(ann))).isEqualTo(UNKNOWN);
        assertThat(m.admits(hex(ann))).isFalse();
        assertThat(m.roster()).isEqualTo(new Membership.Roster("bees", Set.of(hex(s1), hex(s2), hex(s3)),
                Set.of(hex(s1), hex(s2), hex(s3)), 2));
        assertThat(m.genesis().name()).isEqualTo("Bee keepers of bees");
    }

    @Test
    void anAdmissionCountsOnlyWhenKStewardsSignedTheSameStatement() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        ObjectNode statement = coop.admission(ann, "n1");
        coop.admit(s1, statement, s1);
        Membership oneOfTwo = coop.membership();
        assertThat(oneOfTwo.state(hex(ann))).as("k - 1 signatures").isEqualTo(PENDING);
        assertThat(oneOfTwo.pendingSignatures()).containsEntry(hex(ann), 1);
        assertThat(oneOfTwo.admits(hex(ann))).isFalse();

        coop.admit(s1, statement, s1); // the same steward again does not make two
        assertThat(coop.membership().state(hex(ann))).isEqualTo(PENDING);

        coop.admit(s2, statement, s2); // a second steward, in a record of its own
        Membership m = coop.membership();
        assertThat(m.state(hex(ann))).isEqualTo(ADMITTED);
        assertThat(m.name(hex(ann))).contains("member n1");
        assertThat(m.pendingSignatures()).isEmpty();
        assertThat(m.roster().members()).contains(hex(ann));
        assertThat(m.roster().stewards()).doesNotContain(hex(ann));
        assertThat(m.nonceUsed("n1")).isTrue();
    }

    @Test
    void signaturesOverADifferentStatementDoNotAddUp() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        coop.admit(s1, coop.admission(ann, "n1"), s1);
        coop.admit(s2, coop.admission(ann, "n2"), s2);
        assertThat(coop.membership().state(hex(ann))).isEqualTo(PENDING);
    }

    @Test
    void aForgedOrANonStewardSignatureDoesNotCountAndIsReported() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        ObjectNode statement = coop.admission(ann, "n1");
        ObjectNode body = Coop.signedBy(MembershipRecords.ADMISSION_DOMAIN, statement, s1, bob);
        LogRecord withOutsider = coop.write(s1, MembershipRecords.ADMIT, body);
        byte[] forged = MembershipRecords.signStatement(s2, MembershipRecords.ADMISSION_DOMAIN, statement);
        forged[5] ^= 1;
        ObjectNode forgedBody = MembershipRecords.signed(statement, Map.of(hex(s2), forged));
        LogRecord withForgery = coop.write(s1, MembershipRecords.ADMIT, forgedBody);
        // a signature over another statement, pasted under this one
        ObjectNode other = coop.admission(ann, "other");
        ObjectNode pasted = MembershipRecords.signed(statement, Map.of(hex(s3),
                MembershipRecords.signStatement(s3, MembershipRecords.ADMISSION_DOMAIN, other)));
        LogRecord withPasted = coop.write(s1, MembershipRecords.ADMIT, pasted);
        // a removal's signature is not an admission's
        ObjectNode asRemoval = MembershipRecords.signed(statement, Map.of(hex(s3),
                MembershipRecords.signStatement(s3, MembershipRecords.REMOVAL_DOMAIN, statement)));
        LogRecord withWrongDomain = coop.write(s1, MembershipRecords.ADMIT, asRemoval);

        Membership m = coop.membership();
        assertThat(m.state(hex(ann))).isEqualTo(PENDING);
        assertThat(m.pendingSignatures()).containsEntry(hex(ann), 1);
        assertThat(m.refusals()).containsKeys(withOutsider.hash(), withForgery.hash(), withPasted.hash(),
                withWrongDomain.hash());
        assertThat(m.refusals().get(withOutsider.hash())).contains("(the others count)");
    }

    @Test
    void aRecordWithABrokenSignatureIsNotReadAtAll() {
        Coop coop = new Coop("bees", 1, s1);
        LogRecord real = coop.admit(s1, coop.admission(ann, "n1"), s1);
        coop.records.remove(real);
        String wire = new String(real.wire(), java.nio.charset.StandardCharsets.UTF_8);
        String sig = Base64.getEncoder().encodeToString(real.signature());
        byte[] other = real.signature();
        other[0] ^= 1;
        LogRecord forged = LogRecord.parse(wire.replace(sig, Base64.getEncoder().encodeToString(other))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        coop.records.add(forged);
        Membership m = coop.membership();
        assertThat(m.state(hex(ann))).isEqualTo(UNKNOWN);
        assertThat(m.refusals()).containsEntry(forged.hash(), "Its signature does not verify.");
    }

    @Test
    void anAdmissionMadeForAnotherCooperativeIsRefused() {
        Coop bees = new Coop("bees", 1, s1);
        Coop wasps = new Coop("wasps", 1, s1); // the same steward key in both
        ObjectNode forWasps = wasps.admission(ann, "n1");
        // carried in a record of the bees' cooperative: the statement names the other one
        LogRecord carried = bees.write(s1, MembershipRecords.ADMIT,
                Coop.signedBy(MembershipRecords.ADMISSION_DOMAIN, forWasps, s1));
        // the wasps' own admission record, shown to the bees
        LogRecord foreign = wasps.admit(s1, forWasps, s1);
        bees.records.add(foreign);
        // a statement naming the bees' id but the wasps' genesis
        ObjectNode mixed = MembershipRecords.admission("bees", wasps.genesis.hash(), hex(ann), "ann", "n2", List.of());
        LogRecord mixedRecord = bees.write(s1, MembershipRecords.ADMIT,
                Coop.signedBy(MembershipRecords.ADMISSION_DOMAIN, mixed, s1));

        Membership m = bees.membership();
        assertThat(m.state(hex(ann))).isEqualTo(UNKNOWN);
        assertThat(m.refusals()).containsEntry(carried.hash(), "The statement was made for another cooperative.")
                .containsEntry(foreign.hash(), "It belongs to another cooperative.")
                .containsEntry(mixedRecord.hash(), "The statement was made for another cooperative.");
        assertThat(wasps.membership().state(hex(ann))).isEqualTo(ADMITTED);
    }

    @Test
    void aRemovedKeyStaysRemovedWhenItsOldAdmissionIsReplayedAndComesBackOnlyByANewOne() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        ObjectNode first = coop.admission(ann, "n1");
        coop.admit(s1, first, s1, s2);
        assertThat(coop.membership().state(hex(ann))).isEqualTo(ADMITTED);

        coop.remove(s3, ann, s3); // one steward alone cannot remove
        assertThat(coop.membership().state(hex(ann))).isEqualTo(ADMITTED);
        coop.remove(s2, ann, s2, s3);
        Membership removed = coop.membership();
        assertThat(removed.state(hex(ann))).isEqualTo(REMOVED);
        assertThat(removed.members()).doesNotContain(hex(ann));

        coop.admit(s1, first, s1, s2); // the old admission, replayed in a new record
        assertThat(coop.membership().state(hex(ann))).isEqualTo(REMOVED);

        ObjectNode again = coop.admission(ann, "n2", removed.revocationsOf(hex(ann)).toArray(String[]::new));
        coop.admit(s1, again, s1, s3);
        assertThat(coop.membership().state(hex(ann))).isEqualTo(ADMITTED);
    }

    @Test
    void aStewardCannotBeRemovedByARemovalRecord() {
        Coop coop = new Coop("bees", 1, s1, s2);
        LogRecord r = coop.remove(s1, s2, s1);
        assertThat(coop.membership().state(hex(s2))).isEqualTo(ADMITTED);
        assertThat(coop.membership().refusals()).containsEntry(r.hash(), "A steward cannot be removed by a removal record.");
    }

    @Test
    void aMemberWhoLeftIsNoLongerAdmittedUntilANewAdmissionNamesTheLeave() {
        Coop coop = new Coop("bees", 1, s1);
        coop.admit(s1, coop.admission(ann, "n1"), s1);
        LogRecord leave = coop.write(ann, MembershipRecords.LEAVE, MembershipRecords.leave(coop.genesis.hash()));
        assertThat(coop.membership().state(hex(ann))).isEqualTo(LEFT);
        coop.admit(s1, coop.admission(ann, "n2"), s1);
        assertThat(coop.membership().state(hex(ann))).as("an admission that does not name the leave").isEqualTo(LEFT);
        coop.admit(s1, coop.admission(ann, "n3", leave.hash()), s1);
        assertThat(coop.membership().state(hex(ann))).isEqualTo(ADMITTED);
    }

    @Test
    void aFrozenKeyIsNotAMember() {
        Coop coop = new Coop("bees", 1, s1);
        coop.admit(s1, coop.admission(ann, "n1"), s1);
        Membership m = Membership.of(coop.genesis, coop.records, Set.of(hex(ann)));
        assertThat(m.state(hex(ann))).isEqualTo(FROZEN);
        assertThat(m.members()).doesNotContain(hex(ann));
    }

    @Test
    void invitationsCountOnlyFromStewards() {
        Coop coop = new Coop("bees", 1, s1);
        coop.write(s1, MembershipRecords.INVITE, MembershipRecords.invite(coop.genesis.hash(), hex(bob), 5_000, List.of("127.0.0.1:7800")));
        coop.admit(s1, coop.admission(ann, "n1"), s1);
        LogRecord byMember = coop.write(ann, MembershipRecords.INVITE,
                MembershipRecords.invite(coop.genesis.hash(), hex(s3), 5_000, List.of()));
        Membership m = coop.membership();
        assertThat(m.invitations()).containsOnlyKeys(hex(bob));
        assertThat(m.invitations().get(hex(bob)).issuer()).isEqualTo(hex(s1));
        assertThat(m.refusals()).containsEntry(byMember.hash(), "Only a steward may invite.");
    }

    @Test
    void theOrderOfRecordsDoesNotMatter() {
        Coop coop = new Coop("bees", 2, s1, s2, s3);
        ObjectNode first = coop.admission(ann, "n1");
        coop.admit(s1, first, s1);
        coop.admit(s2, first, s2);
        coop.admit(s1, coop.admission(bob, "n2"), s1);
        coop.remove(s3, ann, s1, s3);
        coop.admit(s1, first, s1, s3);
        Membership expected = coop.membership();
        List<LogRecord> shuffled = new ArrayList<>(coop.records);
        Random random = new Random(7);
        for (int i = 0; i < 20; i++) {
            Collections.shuffle(shuffled, random);
            shuffled.add(shuffled.get(random.nextInt(shuffled.size())));
            Membership m = Membership.of(coop.genesis, shuffled, Set.of());
            assertThat(m.members()).isEqualTo(expected.members());
            assertThat(m.inState(REMOVED)).containsExactly(hex(ann));
            assertThat(m.inState(PENDING)).containsExactly(hex(bob));
        }
    }

    @Test
    void aGenesisIsCheckedBeforeItIsTrusted() {
        assertThatThrownBy(() -> Genesis.create(s1, "bees", "Bees", List.of(hex(s2)), 3, 0))
                .hasMessageContaining("k is between 1 and the number of stewards (2)");
        LogRecord notAmongStewards = LogRecord.sign(ann, "bees", 1, null, MembershipRecords.GENESIS, 1, 0,
                MembershipRecords.genesis("Bees", List.of(hex(s1)), 1));
        assertThatThrownBy(() -> Genesis.parse(notAmongStewards))
                .hasMessage("The genesis was not signed by one of the stewards it names.");
        LogRecord note = LogRecord.sign(s1, "bees", 1, null, "note", 1, 0, Coop.note("hi"));
        assertThatThrownBy(() -> Genesis.parse(note)).hasMessage("The record is not a cooperative's genesis.");
    }
}
