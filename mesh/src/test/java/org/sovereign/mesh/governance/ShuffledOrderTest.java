package org.sovereign.mesh.governance;

import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.store.json.CanonicalJson;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property: two members who received the same records in different orders (and with repeats) compute identical
 * tallies, closes, policies and revenue splits. 50 seeded shuffles of a cooperative with votes, revotes, delegations,
 * revocations, a policy change, closes, receipts and countersignatures.
 */
class ShuffledOrderTest {

    @Test
    void anyOrderOfTheSameRecordsGivesTheSameTalliesAndSplits() {
        Coop coop = new Coop("alice", "bob", "carol", "dave", "erin", "frank");
        Policy policy = coop.policy(2, "alice", "bob");
        Random random = new Random(12);
        String change = coop.write("carol", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(
                ProposalKind.CHANGE_POLICY, "credits=144", "More credits.", List.of("yes", "no"), "policy", 0, 2)).hash();
        coop.vote("dave", change, "yes", 4);
        coop.vote("erin", change, "no", 3);
        coop.delegate("frank", Scope.area("policy"), "dave");
        var body = coop.governance(policy).closeBody(change);
        coop.write("alice", GovernanceRecords.CLOSE, body);
        coop.write("bob", GovernanceRecords.CLOSE, body);
        String pack = coop.write("carol", GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "ab".repeat(32), "Adopt.", List.of("yes", "no", "later"), "packs", 0, 0,
                Optional.of(change))).hash();
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank"};
        for (int i = 0; i < 40; i++) {
            String who = names[random.nextInt(names.length)];
            switch (random.nextInt(4)) {
                case 0 -> coop.vote(who, pack, "yes", random.nextInt(25) - 12, "no", random.nextInt(9) - 4);
                case 1 -> {
                    String to = names[random.nextInt(names.length)];
                    if (!to.equals(who)) {
                        coop.delegate(who, random.nextBoolean() ? Scope.global() : Scope.area("packs"), to);
                    }
                }
                case 2 -> coop.revoke(who, Scope.global());
                default -> {
                    String contributor = names[random.nextInt(names.length)];
                    if (!contributor.equals(who)) {
                        LogRecord use = coop.write(who, GovernanceRecords.USAGE, GovernanceRecords.usage(
                                coop.key(contributor), "service:answers", 1 + random.nextInt(500), "2026-12"));
                        if (random.nextInt(4) > 0) {
                            coop.write(contributor, GovernanceRecords.COUNTERSIGN,
                                    GovernanceRecords.countersign(use.hash()));
                        }
                    }
                }
            }
        }
        var packClose = coop.governance(policy).closeBody(pack);
        coop.write("alice", GovernanceRecords.CLOSE, packClose);
        coop.write("bob", GovernanceRecords.CLOSE, packClose);
        coop.vote("erin", pack, "no", 7);   // after the close: refused in every order

        List<LogRecord> records = coop.records();
        String expected = summary(Governance.of(policy, records), change, pack);
        assertThat(expected).contains("CLOSED", "credits\":144");
        for (int seed = 1; seed <= 50; seed++) {
            List<LogRecord> shuffled = new ArrayList<>(records);
            shuffled.addAll(records.subList(0, seed % records.size()));   // repeats
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(summary(Governance.of(policy, shuffled), change, pack)).as("seed " + seed).isEqualTo(expected);
        }
    }

    /** Everything a member computes, as text: closes, tallies with their uses, the policy in force, the split. */
    private static String summary(Governance g, String... proposals) {
        StringBuilder s = new StringBuilder();
        for (String p : proposals) {
            s.append(g.closing(p).state()).append(' ').append(g.tally(p)).append('\n');
            s.append(new String(CanonicalJson.of(Governance.closeBody(g.tally(p))), StandardCharsets.UTF_8)).append('\n');
        }
        s.append("{\"credits\":").append(g.currentPolicy().credits()).append("}\n");
        s.append(g.refusals()).append('\n');
        s.append(new String(g.split("2026-12").canonical(), StandardCharsets.UTF_8));
        return s.toString();
    }
}
