package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sovereign.store.vault.crypto.Hex;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MeshLogTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
    private static final RecordSigner ALICE = TestKeys.seeded(1);
    private static final RecordSigner BOB = TestKeys.seeded(2);

    private static ObjectNode body(String text) {
        return JsonNodeFactory.instance.objectNode().put("text", text);
    }

    private static MeshLog log(RecordSigner who) {
        return new MeshLog("coop-1", who, new MemoryRecordStore(), CLOCK);
    }

    @Test
    void ownRecordsFormAChainWithIncreasingSequenceNumbers() {
        MeshLog alice = log(ALICE);
        LogRecord first = alice.append("note", 1, body("a"));
        LogRecord second = alice.append("note", 1, body("b"));

        assertThat(first.seq()).isEqualTo(1);
        assertThat(first.prev()).isNull();
        assertThat(second.seq()).isEqualTo(2);
        assertThat(second.prev()).isEqualTo(first.hash());
        assertThat(second.time()).isEqualTo(CLOCK.millis());
        assertThat(alice.heads()).containsEntry(alice.self(), new LogHead(alice.self(), 2, second.hash()));
    }

    @Test
    void aPeersValidRecordsAreKeptInOrderAndRepeatsChangeNothing() {
        MeshLog alice = log(ALICE);
        MeshLog bob = log(BOB);
        LogRecord a1 = alice.append("note", 1, body("a"));
        LogRecord a2 = alice.append("note", 1, body("b"));
        LogRecord a3 = alice.append("note", 1, body("c"));

        assertThat(bob.receive(a2)).isEqualTo(Receipt.GAP);
        assertThat(bob.receive(a1)).isEqualTo(Receipt.APPENDED);
        assertThat(bob.receive(a2)).isEqualTo(Receipt.APPENDED);
        assertThat(bob.receive(a1.wire())).isEqualTo(Receipt.DUPLICATE);
        assertThat(bob.receive(a3.wire())).isEqualTo(Receipt.APPENDED);
        assertThat(bob.heads().get(alice.self()).seq()).isEqualTo(3);
        assertThat(bob.refusedCount()).isZero();
    }

    @Test
    void forgedMalformedForeignAndUnadmittedRecordsAreRefusedAndCounted() {
        MeshLog alice = log(ALICE);
        String bobKey = Hex.encode(BOB.publicKey());
        MeshLog bob = new MeshLog("coop-1", BOB, new MemoryRecordStore(), CLOCK,
                Set.of(alice.self(), bobKey)::contains);
        LogRecord a1 = alice.append("note", 1, body("a"));
        byte[] sig = a1.signature();
        sig[0] ^= 1;
        LogRecord foreign = LogRecord.sign(ALICE, "coop-2", 1, null, "note", 1, 0, body("a"));
        LogRecord stranger = LogRecord.sign(TestKeys.seeded(9), "coop-1", 1, null, "note", 1, 0, body("a"));

        assertThat(bob.receive(a1.withSignature(sig))).isEqualTo(Receipt.BAD_SIGNATURE);
        assertThat(bob.receive(foreign)).isEqualTo(Receipt.WRONG_COOPERATIVE);
        assertThat(bob.receive(stranger)).isEqualTo(Receipt.NOT_ADMITTED);
        assertThat(bob.receive("{\"not\":\"a record\"}".getBytes())).isEqualTo(Receipt.MALFORMED);
        assertThat(bob.heads()).isEmpty();
        assertThat(bob.refusedCount()).isEqualTo(4);
        assertThat(bob.receipts().get(alice.self())).containsEntry(Receipt.BAD_SIGNATURE, 1L)
                .containsEntry(Receipt.WRONG_COOPERATIVE, 1L);
    }

    @Test
    void aRecordThatDoesNotContinueTheHeldChainIsRefused() {
        MeshLog alice = log(ALICE);
        MeshLog bob = log(BOB);
        LogRecord a1 = alice.append("note", 1, body("a"));
        bob.receive(a1);
        LogRecord detached = LogRecord.sign(ALICE, "coop-1", 2, "00".repeat(32), "note", 1, 0, body("b"));

        assertThat(bob.receive(detached)).isEqualTo(Receipt.BROKEN_CHAIN);
        assertThat(bob.heads().get(alice.self()).seq()).isEqualTo(1);
    }

    @Test
    void twoDifferentRecordsAtOnePlaceFreezeTheAuthorAndAreKeptAsEvidence() {
        MeshLog alice = log(ALICE);
        MeshLog bob = log(BOB);
        LogRecord a1 = alice.append("note", 1, body("a"));
        LogRecord fork = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body("something else"));
        bob.receive(a1);

        assertThat(bob.receive(fork)).isEqualTo(Receipt.EQUIVOCATION);
        Equivocation evidence = bob.frozen().get(alice.self());
        assertThat(evidence.kept()).isEqualTo(a1);
        assertThat(evidence.conflicting()).isEqualTo(fork);
        assertThat(evidence.kept().signatureValid() && evidence.conflicting().signatureValid()).isTrue();
        LogRecord a2 = alice.append("note", 1, body("b"));
        assertThat(bob.receive(a2)).isEqualTo(Receipt.FROZEN_AUTHOR);
        assertThat(bob.wantsFor(List.of(new LogHead(alice.self(), 2, a2.hash())))).isEmpty();
    }

    @Test
    void aMemberWhoseOwnLogPeersHoldFurtherRefusesToWriteUntilItCatchesUp() {
        MemoryRecordStore backup = new MemoryRecordStore();
        MeshLog before = new MeshLog("coop-1", ALICE, backup, CLOCK);
        LogRecord a1 = before.append("note", 1, body("a"));
        MeshLog bob = log(BOB);
        bob.receive(a1);
        LogRecord a2 = before.append("note", 1, body("b"));
        bob.receive(a2);
        MeshLog restored = new MeshLog("coop-1", ALICE, new MemoryRecordStore(), CLOCK);
        restored.receive(a1);

        List<Want> wants = restored.wantsFor(bob.heads().values());
        assertThat(restored.behindOwnPublishedHead()).isTrue();
        assertThatThrownBy(() -> restored.append("note", 1, body("would reuse 2")))
                .isInstanceOf(LogBehindException.class).hasMessageContaining("up to record 2");
        assertThat(wants).containsExactly(new Want(restored.self(), 2));
        assertThat(restored.receive(a2)).isEqualTo(Receipt.APPENDED);
        assertThat(restored.append("note", 1, body("c")).seq()).isEqualTo(3);
    }

    @Test
    void aPeerAnnouncingAnotherRecordAtAHeldPlaceIsAskedForItAsEvidence() {
        MeshLog alice = log(ALICE);
        MeshLog bob = log(BOB);
        bob.receive(alice.append("note", 1, body("a")));
        LogRecord fork = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body("other"));

        assertThat(bob.wantsFor(List.of(LogHead.of(fork)))).containsExactly(new Want(alice.self(), 1));
    }
}
