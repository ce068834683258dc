package org.sovereign.mesh.membership;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.RecordSigner;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.mesh.membership.Coop.hex;

/** A member's log behind a {@link MembershipGate}: records of keys that are not admitted are refused and counted. */
class MembershipGateTest {
    private final RecordSigner steward = Coop.key(1);
    private final RecordSigner ann = Coop.key(10);
    private final RecordSigner bob = Coop.key(11);
    private final RecordSigner self = Coop.key(20);

    @Test
    void recordsOfUnadmittedAndRemovedKeysAreRefusedBeforeUseAndCounted() {
        Coop coop = new Coop("bees", 1, steward);
        MembershipGate gate = MembershipGate.over(coop.genesis, new MemoryRecordStore());
        MeshLog log = new MeshLog("bees", self, gate, Clock.systemUTC(), gate);
        List<Membership> changes = new ArrayList<>();
        gate.onChange(changes::add);

        assertThat(log.receive(coop.genesis.record())).isEqualTo(Receipt.APPENDED);
        LogRecord early = coop.write(ann, "note", Coop.note("before I was admitted"));
        assertThat(log.receive(early)).isEqualTo(Receipt.NOT_ADMITTED);
        assertThat(log.receive(coop.write(bob, "note", Coop.note("never admitted")))).isEqualTo(Receipt.NOT_ADMITTED);
        assertThat(gate.refusedUnadmitted()).isEqualTo(2);
        assertThat(log.heads()).doesNotContainKeys(hex(ann), hex(bob));

        assertThat(log.receive(coop.admit(steward, coop.admission(ann, "n1"), steward))).isEqualTo(Receipt.APPENDED);
        assertThat(changes).last().satisfies(m -> assertThat(m.admits(hex(ann))).isTrue());
        assertThat(log.receive(early)).as("the same record, once its author is admitted").isEqualTo(Receipt.APPENDED);

        assertThat(log.receive(coop.remove(steward, ann, steward))).isEqualTo(Receipt.APPENDED);
        assertThat(log.receive(coop.write(ann, "note", Coop.note("after my removal")))).isEqualTo(Receipt.NOT_ADMITTED);
        assertThat(gate.refusedRemoved()).isEqualTo(1);
        assertThat(gate.refusedUnadmitted()).isEqualTo(2);
        assertThat(log.heads().get(hex(ann)).seq()).isEqualTo(1);
        assertThat(log.refusedCount()).isEqualTo(3);
    }

    @Test
    void aGateOverAStoreThatAlreadyHoldsRecordsStartsFromThem() {
        Coop coop = new Coop("bees", 1, steward);
        MemoryRecordStore store = new MemoryRecordStore();
        store.append(coop.genesis.record());
        store.append(coop.admit(steward, coop.admission(ann, "n1"), steward));
        assertThat(MembershipGate.over(coop.genesis, store).membership().orElseThrow().admits(hex(ann))).isTrue();
    }
}
