package org.sovereign.mesh.membership;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for what a stranger hands a member: invite files, short codes and joining messages. An invite may only
 * be read or refused with {@link IllegalArgumentException} (a plain reason); a joining message is handled or ignored,
 * never thrown out. The default run replays the committed inputs under {@code
 * src/test/resources/org/sovereign/mesh/membership/MembershipInputsFuzzTestInputs/}; {@code docs/bench/fuzz.sh
 * membership} fuzzes.
 */
class MembershipInputsFuzzTest {
    private static final RecordSigner STEWARD = Coop.key(1);
    private static final Coop COOP = new Coop("bees", 1, STEWARD);

    @FuzzTest(maxDuration = "60s")
    void inviteFile(byte[] data) {
        try {
            Invite invite = Invite.readFile(data);
            assertThat(invite.complete()).isTrue();
        } catch (IllegalArgumentException refused) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "60s")
    void shortCode(byte[] data) {
        try {
            Invite.parseCode(new String(data, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException refused) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "60s")
    void joinMessage(byte[] data) {
        if (data.length == 0) {
            return;
        }
        MemoryRecordStore store = new MemoryRecordStore();
        store.append(COOP.genesis.record());
        MembershipGate gate = MembershipGate.over(COOP.genesis, store);
        MeshLog log = new MeshLog("bees", STEWARD, gate, Clock.systemUTC(), gate);
        JoinProtocol protocol = new JoinProtocol(log, gate, STEWARD, () -> 0L, null, "");
        if (protocol.handles(data)) {
            protocol.receive(null, "peer", data); // no invitation is held, so nothing is ever sent or written
        }
        assertThat(log.heads()).hasSize(1);
    }
}
