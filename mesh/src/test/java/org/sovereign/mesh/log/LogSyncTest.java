package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Anti-entropy between members in one process, over encoded messages, as the mesh runs it on view changes. */
class LogSyncTest {

    private record Envelope(LogSync to, Object from, byte[] bytes) {
    }

    /** Delivers messages until none is left; each member announces its heads to each other first (a merge). */
    private static int merge(Map<String, LogSync> members) {
        Deque<Envelope> queue = new ArrayDeque<>();
        members.forEach((name, sync) -> members.forEach((other, peer) -> {
            if (!other.equals(name)) {
                queue.add(new Envelope(peer, name, sync.heads()));
            }
        }));
        int delivered = 0;
        while (!queue.isEmpty()) {
            Envelope e = queue.poll();
            String to = members.entrySet().stream().filter(m -> m.getValue() == e.to()).findFirst().orElseThrow().getKey();
            for (byte[] reply : e.to().handle(e.from(), e.bytes())) {
                queue.add(new Envelope(members.get((String) e.from()), to, reply));
            }
            delivered++;
            assertThat(delivered).as("anti-entropy ends").isLessThan(10_000);
        }
        return delivered;
    }

    private static LogSync member(int seed) {
        return new LogSync(new MeshLog("coop-1", TestKeys.seeded(seed), new MemoryRecordStore(), Clock.systemUTC()));
    }

    private static void write(LogSync member, int count) {
        for (int i = 0; i < count; i++) {
            member.log().append("note", 1, JsonNodeFactory.instance.objectNode().put("n", i));
        }
    }

    @Test
    void afterAPartitionBothSidesEndWithTheSameHeadsAndNothingLost() {
        LogSync a = member(1);
        LogSync b = member(2);
        LogSync c = member(3);
        write(a, 5);
        write(b, 3);
        write(c, 2);

        merge(Map.of("a", a, "b", b, "c", c));

        assertThat(a.log().heads()).hasSize(3).isEqualTo(b.log().heads()).isEqualTo(c.log().heads());
        assertThat(c.log().range(a.log().self(), 1, 100)).hasSize(5);
        assertThat(a.log().refusedCount() + b.log().refusedCount() + c.log().refusedCount()).isZero();
    }

    @Test
    void aMemberThatWasAwayCatchesUpOverSeveralBoundedReplies() {
        LogSync a = member(1);
        LogSync away = member(2);
        write(a, LogSync.MAX_RECORDS_PER_REPLY * 2 + 17);

        merge(Map.of("a", a, "away", away));

        assertThat(away.log().heads()).isEqualTo(a.log().heads());
        assertThat(a.recordsSent()).isEqualTo(LogSync.MAX_RECORDS_PER_REPLY * 2 + 17);
    }

    @Test
    void aLogSeveralPeersHoldIsFetchedFromOneOfThemOnly() {
        LogSync a = member(1);
        LogSync b = member(2);
        LogSync late = member(3);
        write(a, 50);
        merge(Map.of("a", a, "b", b));
        long sentBefore = a.recordsSent() + b.recordsSent();

        merge(Map.of("a", a, "b", b, "late", late));

        assertThat(late.log().heads()).isEqualTo(a.log().heads());
        assertThat(a.recordsSent() + b.recordsSent() - sentBefore).as("records sent to the late member").isEqualTo(50);
        assertThat(late.log().receipts().get(a.log().self())).doesNotContainKey(Receipt.DUPLICATE);
    }

    @Test
    void aRecordPushedAheadOfAMissingOneMakesTheReceiverAskForTheGap() {
        LogSync a = member(1);
        LogSync b = member(2);
        LogRecord first = a.log().append("note", 1, JsonNodeFactory.instance.objectNode());
        LogRecord second = a.log().append("note", 1, JsonNodeFactory.instance.objectNode());

        List<byte[]> replies = b.handle("a", LogSync.push(List.of(second)));

        assertThat(replies).hasSize(1);
        assertThat(SyncMessage.decode(replies.get(0)))
                .isEqualTo(new SyncMessage.Wants(List.of(new Want(first.author(), 1))));
        for (byte[] records : a.handle("b", replies.get(0))) {
            b.handle("a", records);
        }
        assertThat(b.log().heads()).isEqualTo(a.log().heads());
    }

    @Test
    void anEquivocationMadeAcrossAPartitionIsFoundOnMergeAndTheKeyFrozen() {
        RecordSigner mallory = TestKeys.seeded(7);
        LogSync left = member(1);
        LogSync right = member(2);
        left.log().receive(LogRecord.sign(mallory, "coop-1", 1, null, "vote", 1, 0,
                JsonNodeFactory.instance.objectNode().put("choice", "yes")));
        right.log().receive(LogRecord.sign(mallory, "coop-1", 1, null, "vote", 1, 0,
                JsonNodeFactory.instance.objectNode().put("choice", "no")));

        merge(Map.of("left", left, "right", right));

        String key = org.sovereign.store.vault.crypto.Hex.encode(mallory.publicKey());
        assertThat(left.log().frozen()).containsKey(key);
        assertThat(right.log().frozen()).containsKey(key);
        assertThat(left.log().frozen().get(key).conflicting().body().get("choice").asText()).isEqualTo("no");
    }

    @Test
    void aBadlySignedRecordInAReplyIsRefusedAndTheRestStillApplied() {
        LogSync a = member(1);
        LogSync b = member(2);
        LogRecord good = a.log().append("note", 1, JsonNodeFactory.instance.objectNode());
        LogRecord forged = LogRecord.sign(TestKeys.seeded(3), "coop-1", 1, null, "note", 1, 0,
                JsonNodeFactory.instance.objectNode());
        byte[] sig = forged.signature();
        sig[5] ^= 0x40;

        b.handle("a", LogSync.push(List.of(forged.withSignature(sig), good)));

        assertThat(b.log().heads()).containsOnlyKeys(good.author());
        assertThat(b.log().receipts().get(forged.author())).containsEntry(Receipt.BAD_SIGNATURE, 1L);
    }

    @Test
    void unreadableMessagesAreCountedAndIgnored() {
        LogSync b = member(2);

        assertThat(b.handle("x", new byte[] {1, 9, 0, 0, 0, 0})).isEmpty();
        assertThat(b.handle("x", new byte[] {1, 1, 0, 0, 0, 1, 0})).isEmpty();
        assertThat(b.handle("x", new byte[] {2})).isEmpty();
        assertThat(b.malformedMessages()).isEqualTo(3);
    }
}
