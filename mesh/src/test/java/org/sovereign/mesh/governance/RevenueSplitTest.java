package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Usage receipts, countersignatures and the revenue split, against tables computed by hand. */
class RevenueSplitTest {
    static final String PACK_X = "pack:sha256:" + "aa".repeat(32);

    static LogRecord use(Coop coop, String consumer, String contributor, String what, long amount, String period) {
        return coop.write(consumer, GovernanceRecords.USAGE, GovernanceRecords.usage(coop.key(contributor), what, amount,
                period));
    }

    static LogRecord countersign(Coop coop, String contributor, LogRecord usage) {
        return coop.write(contributor, GovernanceRecords.COUNTERSIGN, GovernanceRecords.countersign(usage.hash()));
    }

    /** steward s; consumers u1, u2; contributors c1, c2; a floor of 10 % per steward; pack X weighs 4. */
    static Coop table() {
        Coop coop = new Coop("s", "u1", "u2", "c1", "c2");
        countersign(coop, "c1", use(coop, "u1", "c1", "service:answers", 100, "2026-12"));
        countersign(coop, "c1", use(coop, "u2", "c1", "service:answers", 9, "2026-12"));
        countersign(coop, "c2", use(coop, "u1", "c2", PACK_X, 16, "2026-12"));
        use(coop, "u2", "c2", "service:answers", 100, "2026-12");                      // never countersigned
        countersign(coop, "c2", use(coop, "u2", "c2", "service:answers", 100, "2026-11"));   // another period
        return coop;
    }

    static Policy policy(Coop coop) {
        return new Policy(Coop.ID, coop.keys("s", "u1", "u2", "c1", "c2"), coop.keys("s"), 1, 100, 0, 100_000,
                Map.of(PACK_X, 4));
    }

    @Test
    void sharesFollowTheSquareRootOfEachConsumersUseWithAStewardFloor() {
        Coop coop = table();
        RevenueSplit split = Governance.of(policy(coop), coop.records()).split("2026-12");

        // By hand: c1 = sqrt(100) + sqrt(9) = 13 (x1000), c2 = sqrt(4 x 16) = 8; u1's hundred answers count 10, not
        // 100. The floor: s gets 100000. The rest, 900000: c1 900000 x 13/21 = 557142.86, c2 342857.14; the one part
        // left by rounding goes to the larger remainder, c1.
        assertThat(split.receipts()).hasSize(3);
        assertThat(split.points()).containsExactlyInAnyOrderEntriesOf(Map.of(coop.key("c1"), 13_000L,
                coop.key("c2"), 8_000L));
        assertThat(split.shares()).containsExactlyInAnyOrderEntriesOf(Map.of(coop.key("s"), 100_000L,
                coop.key("c1"), 557_143L, coop.key("c2"), 342_857L));
        assertThat(split.shares().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(Policy.PARTS);
    }

    @Test
    void receiptsForOnesOwnWorkOrCountersignedBySomeoneElseAreRefused() {
        Coop coop = new Coop("s", "u1", "c1");
        LogRecord self = use(coop, "u1", "u1", "service:answers", 5, "p");
        LogRecord usage = use(coop, "u1", "c1", "service:answers", 5, "p");
        LogRecord forged = countersign(coop, "s", usage);
        Policy policy = new Policy(Coop.ID, coop.keys("s", "u1", "c1"), coop.keys("s"), 1, 100);

        Governance g = Governance.of(policy, coop.records());

        assertThat(g.refusal(self.hash())).hasValue("A member cannot sign a receipt for using their own work.");
        assertThat(g.refusal(forged.hash())).hasValue("Only the contributor the receipt names countersigns it.");
        assertThat(g.split("p").receipts()).isEmpty();
        // No countersigned use: the stewards share the period alike.
        assertThat(g.split("p").shares()).containsExactly(Map.entry(coop.key("s"), (long) Policy.PARTS));
    }

    @Test
    void stewardsSignTheStatementAndAnyMemberRecomputesItByteForByte() {
        Coop coop = table();
        Policy policy = policy(coop);
        RevenueSplit split = Governance.of(policy, coop.records()).split("2026-12");
        coop.write("s", GovernanceRecords.SPLIT, split.statement());
        var lying = split.statement();
        lying.with("shares").put(coop.key("s"), 200_000).put(coop.key("c1"), 457_143);
        coop.write("s", GovernanceRecords.SPLIT, lying);

        // Another member reads the records back from their wire forms, in another order.
        List<LogRecord> received = new java.util.ArrayList<>(coop.records().stream()
                .map(r -> LogRecord.parse(r.wire())).toList());
        java.util.Collections.reverse(received);
        Governance other = Governance.of(policy, received);

        assertThat(new String(other.split("2026-12").canonical(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(new String(split.canonical(), java.nio.charset.StandardCharsets.UTF_8));
        assertThat(other.signedSplits("2026-12")).containsExactlyInAnyOrder(
                new Governance.SignedSplit(split.digest(), coop.keys("s"), 1, true),
                new Governance.SignedSplit(digestOf(lying), coop.keys("s"), 1, false));
        assertThat(split.statement().get("under").isNull()).isTrue();
        assertThat(Optional.ofNullable(split.under())).hasValue(Optional.empty());
    }

    private static String digestOf(com.fasterxml.jackson.databind.node.ObjectNode body) {
        try {
            return org.sovereign.store.vault.crypto.Hex.encode(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(org.sovereign.store.json.CanonicalJson.of(body)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
