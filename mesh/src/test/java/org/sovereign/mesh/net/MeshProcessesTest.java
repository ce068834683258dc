package org.sovereign.mesh.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Waits.waitUntil;

/**
 * Real members in separate JVMs on 127.0.0.1 (TCP only, no multicast), at most three at once on a 2-core machine.
 * Every test stops its members; waits are bounded.
 */
class MeshProcessesTest {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private final List<MemberProcess> started = new ArrayList<>();
    @TempDir
    Path dir;

    private MemberProcess start(int port, List<Integer> peerPorts, int seed) throws Exception {
        MemberProcess member = new MemberProcess("coop-test", port,
                peerPorts.stream().map(p -> "127.0.0.1:" + p).toList(), seed, dir.resolve("member-" + port + ".log"));
        started.add(member);
        return member;
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (MemberProcess member : started) {
            member.close();
        }
    }

    @Test
    void threeMembersFormOneViewAndEndWithTheSameSignedLogs() throws Exception {
        int p1 = MeshNodeEgressTest.freePort();
        int p2 = MeshNodeEgressTest.freePort();
        int p3 = MeshNodeEgressTest.freePort();
        MemberProcess a = start(p1, List.of(p2, p3), 1);
        MemberProcess b = start(p2, List.of(p1, p3), 2);
        MemberProcess c = start(p3, List.of(p1, p2), 3);

        waitUntil("one view of three", BOUND, () -> a.viewSize() == 3 && b.viewSize() == 3 && c.viewSize() == 3);
        a.ask("append first from a", "appended");
        a.ask("append second from a", "appended");
        b.ask("append first from b", "appended");
        c.ask("append first from c", "appended");

        waitUntil("the same heads everywhere", BOUND, () -> {
            String heads = a.heads();
            return heads.split(",").length == 3 && heads.equals(b.heads()) && heads.equals(c.heads());
        });
        assertThat(a.heads()).contains(a.key.substring(0, 8) + ":2:", b.key.substring(0, 8) + ":1:");
        for (MemberProcess m : List.of(a, b, c)) {
            assertThat(m.ask("refused", "refused")).isEqualTo("0");
            assertThat(m.ask("ledger", "ledger")).contains("egress.connected/mesh", "egress.listening/mesh")
                    .doesNotContain("egress.refused");
        }
    }

    @Test
    void membersThatWereApartMergeAndCatchUpByAntiEntropy() throws Exception {
        int p1 = MeshNodeEgressTest.freePort();
        int p2 = MeshNodeEgressTest.freePort();
        MemberProcess a = start(p1, List.of(), 1);
        MemberProcess away = start(p2, List.of(), 2);
        assertThat(a.viewSize()).isEqualTo(1);
        assertThat(away.viewSize()).isEqualTo(1);
        for (int i = 0; i < 3; i++) {
            a.ask("append while apart " + i, "appended");
        }
        away.ask("append while away", "appended");
        away.ask("append while away again", "appended");

        a.ask("addpeer 127.0.0.1:" + p2, "added");
        away.ask("addpeer 127.0.0.1:" + p1, "added");

        waitUntil("a merged view", BOUND, () -> a.viewSize() == 2 && away.viewSize() == 2);
        assertThat(a.merges() + away.merges()).as("a MergeView was installed").isPositive();
        waitUntil("both hold both logs", BOUND, () -> a.heads().split(",").length == 2
                && a.heads().equals(away.heads()));
        assertThat(away.heads()).contains(a.key.substring(0, 8) + ":3:", away.key.substring(0, 8) + ":2:");
    }

    @Test
    void aRecordWithABadSignatureIsRefusedAndTheRestStillFlows() throws Exception {
        int p1 = MeshNodeEgressTest.freePort();
        int p2 = MeshNodeEgressTest.freePort();
        MemberProcess a = start(p1, List.of(p2), 1);
        MemberProcess b = start(p2, List.of(p1), 2);
        waitUntil("one view of two", BOUND, () -> a.viewSize() == 2 && b.viewSize() == 2);

        String forger = a.ask("forge", "forged");
        waitUntil("b refused the forged record", BOUND, () -> b.ask("refused", "refused").equals("1"));
        a.ask("append genuine", "appended");

        waitUntil("b holds a's genuine record", BOUND, () -> b.heads().contains(a.key.substring(0, 8) + ":1:"));
        assertThat(b.heads()).doesNotContain(forger);
    }
}
