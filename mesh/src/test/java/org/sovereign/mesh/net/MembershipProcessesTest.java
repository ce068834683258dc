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
 * Joining a cooperative with real members in separate JVMs on 127.0.0.1, each with a real vault and a real share
 * consent: two members per test (they fit 2 cores). Every test stops its members; waits are bounded.
 */
class MembershipProcessesTest {
    private static final Duration BOUND = Duration.ofSeconds(90);
    private final List<MemberProcess> started = new ArrayList<>();
    @TempDir
    Path dir;

    private MemberProcess start(String name, List<String> args, int port) throws Exception {
        MemberProcess member = new MemberProcess(JoiningMemberMain.class, args, port, dir.resolve(name + ".log"));
        started.add(member);
        return member;
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (MemberProcess member : started) {
            member.close();
        }
    }

    private record Pair(MemberProcess founder, MemberProcess joiner) {
    }

    /** A founder, and a joiner that holds an invite (its file, or its short code) and is connected, not admitted. */
    private Pair founderAndJoiner(boolean shortCode) throws Exception {
        int p1 = MeshNodeEgressTest.freePort();
        int p2 = MeshNodeEgressTest.freePort();
        MemberProcess founder = start("founder", List.of("founder", dir.resolve("founder").toString(),
                Integer.toString(p1)), p1);
        String[] invited = founder.ask("invite 127.0.0.1:" + p1, "invited").split(" ");
        MemberProcess joiner = start("joiner", List.of("joiner", dir.resolve("joiner").toString(), Integer.toString(p2),
                shortCode ? invited[1] : invited[0]), p2);
        waitUntil("one view of two", BOUND, () -> founder.viewSize() == 2 && joiner.viewSize() == 2);
        return new Pair(founder, joiner);
    }

    @Test
    void aMemberJoinsWithAnInviteFileAndIsAdmittedByTheSteward() throws Exception {
        Pair p = founderAndJoiner(false);
        MemberProcess founder = p.founder();
        MemberProcess joiner = p.joiner();
        joiner.ask("append before admission", "appended");
        waitUntil("the founder refused the unadmitted record", BOUND,
                () -> !founder.ask("refused", "refused").startsWith("0 "));
        assertThat(founder.heads()).doesNotContain(joiner.key.substring(0, 8));
        assertThat(joiner.ask("admitted", "admitted")).isEqualTo("false");

        joiner.ask("join", "joining");
        waitUntil("the joiner sees itself admitted", BOUND, () -> joiner.ask("admitted", "admitted").equals("true"));
        assertThat(founder.ask("members", "members")).contains(joiner.key.substring(0, 8), founder.key.substring(0, 8));

        joiner.ask("append after admission", "appended");
        waitUntil("the founder holds both of the joiner's records", BOUND,
                () -> founder.heads().contains(joiner.key.substring(0, 8) + ":2"));
    }

    @Test
    void aMemberJoinsWithAShortCodeCheckedAgainstTheGenesisThePeerSends() throws Exception {
        Pair p = founderAndJoiner(true);
        p.joiner().ask("join", "joining");
        waitUntil("the joiner sees itself admitted", BOUND, () -> p.joiner().ask("admitted", "admitted").equals("true"));
        assertThat(p.founder().ask("members", "members")).contains(p.joiner().key.substring(0, 8));
    }

    @Test
    void withdrawingTheShareConsentLeavesTheClusterAtOnceAndNothingMoreIsSent() throws Exception {
        Pair p = founderAndJoiner(false);
        MemberProcess founder = p.founder();
        MemberProcess joiner = p.joiner();
        joiner.ask("join", "joining");
        waitUntil("admitted", BOUND, () -> joiner.ask("admitted", "admitted").equals("true"));
        joiner.ask("append while a member", "appended");
        waitUntil("the founder holds it", BOUND, () -> founder.heads().contains(joiner.key.substring(0, 8) + ":1"));

        joiner.ask("withdraw", "withdrawn");
        waitUntil("the joiner left", BOUND, () -> joiner.ask("left", "left").equals("true"));
        waitUntil("the founder's view lost the joiner", BOUND, () -> founder.viewSize() == 1);
        String connections = joiner.ask("connections", "connections");
        joiner.ask("append after withdrawing", "appended");
        founder.ask("invite 127.0.0.1:1", "invited"); // a round trip to the founder after the append
        assertThat(founder.heads()).contains(joiner.key.substring(0, 8) + ":1").doesNotContain(joiner.key.substring(0, 8) + ":2");
        assertThat(joiner.viewSize()).isZero();
        assertThat(joiner.ask("connections", "connections")).as("no connection after the withdrawal").isEqualTo(connections);
    }
}
