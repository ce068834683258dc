package org.sovereign.mesh.governance;

import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Tally cost: M members, V vote records in all on one proposal (each member revotes), read and tallied from the
 * records (signatures verified). Prints the time of {@code Governance.of} plus {@code tally}, best of 5.
 * Run: {@code java -cp <mesh test class path> org.sovereign.mesh.governance.GovernanceBench [members] [votes]}.
 */
public final class GovernanceBench {
    private GovernanceBench() {
    }

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int votes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        List<MeshLog> logs = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int m = 0; m < members; m++) {
            MeshLog log = new MeshLog("bench", RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
            logs.add(log);
            keys.add(log.self());
        }
        String id = logs.get(0).append(GovernanceRecords.PROPOSAL, 1, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "00".repeat(32), "Bench.", List.of("yes", "no", "abstain"), "packs", 0, 0)).hash();
        Random random = new Random(1);
        for (int i = 0; i < votes; i++) {
            logs.get(i % members).append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id,
                    Map.of("yes", random.nextInt(13) - 6, "no", random.nextInt(13) - 6)));
        }
        List<LogRecord> records = new ArrayList<>();
        logs.forEach(l -> records.addAll(Governance.recordsOf(l)));
        Policy policy = new Policy("bench", keys, Set.of(logs.get(0).self()), 1, Policy.DEFAULT_CREDITS);
        long best = Long.MAX_VALUE;
        Tally tally = null;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            tally = Governance.of(policy, records).tally(id);
            best = Math.min(best, System.nanoTime() - start);
        }
        long verify = Long.MAX_VALUE;
        for (int round = 0; round < 5; round++) {
            long start = System.nanoTime();
            records.forEach(LogRecord::signatureValid);
            verify = Math.min(verify, System.nanoTime() - start);
        }
        System.out.printf("members=%d votes=%d records=%d tally=%s best of 5: %.1f ms (verifying the signatures alone: "
                + "%.1f ms)%n", members, votes, records.size(), tally.totals(), best / 1e6, verify / 1e6);
    }
}
