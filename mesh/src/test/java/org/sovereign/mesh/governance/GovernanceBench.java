package org.sovereign.mesh.governance;

import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.RecordSigner;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Tally and split cost. Tally: M members, V vote records in all on one proposal (each member revotes). Split: R usage
 * receipts, each countersigned. The records enter a receiving member's log first ({@code MeshLog.receive}, where each
 * signature is verified once); then {@code Governance.of} plus {@code tally} (or {@code split}) runs over the records
 * that member holds: the first run, and the best of 5.
 * Run: {@code java -cp <mesh test class path> org.sovereign.mesh.governance.GovernanceBench [members] [votes] [receipts]}.
 */
public final class GovernanceBench {
    private GovernanceBench() {
    }

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int votes = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int receipts = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        List<MeshLog> logs = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (int m = 0; m < members; m++) {
            MeshLog log = new MeshLog("bench", RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
            logs.add(log);
            keys.add(log.self());
        }
        Policy policy = new Policy("bench", keys, Set.of(logs.get(0).self()), 1, Policy.DEFAULT_CREDITS);
        String id = logs.get(0).append(GovernanceRecords.PROPOSAL, 1, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "00".repeat(32), "Bench.", List.of("yes", "no", "abstain"), "packs", 0, 0)).hash();
        Random random = new Random(1);
        for (int i = 0; i < votes; i++) {
            logs.get(i % members).append(GovernanceRecords.VOTE, 1, GovernanceRecords.vote(id,
                    Map.of("yes", random.nextInt(13) - 6, "no", random.nextInt(13) - 6)));
        }
        List<LogRecord> held = receive(logs, "vote");
        time("tally", held.size(), () -> Governance.of(policy, held).tally(id).totals().toString());

        if (receipts > 0) {
            for (int i = 0; i < receipts; i++) {
                MeshLog consumer = logs.get(random.nextInt(members));
                MeshLog contributor = logs.get(random.nextInt(members));
                if (consumer == contributor) {
                    contributor = logs.get((logs.indexOf(consumer) + 1) % members);
                }
                LogRecord use = consumer.append(GovernanceRecords.USAGE, 1, GovernanceRecords.usage(contributor.self(),
                        "service:answers", 1 + random.nextInt(1000), "2026-12"));
                contributor.append(GovernanceRecords.COUNTERSIGN, 1, GovernanceRecords.countersign(use.hash()));
            }
            List<LogRecord> all = receive(logs, "receipt");
            time("split", all.size(), () -> {
                RevenueSplit split = Governance.of(policy, all).split("2026-12");
                return split.receipts().size() + " receipts, statement " + split.digest().substring(0, 16);
            });
        }
    }

    /** Hands every record to a fresh member's log (verifying each once) and returns what that member holds. */
    private static List<LogRecord> receive(List<MeshLog> logs, String what) {
        List<LogRecord> sent = new ArrayList<>();
        logs.forEach(l -> sent.addAll(Governance.recordsOf(l)));
        MeshLog receiver = new MeshLog("bench", RecordSigner.generate(), new MemoryRecordStore(), Clock.systemUTC());
        long start = System.nanoTime();
        for (LogRecord r : sent) {
            // A copy from the wire form, as a peer's record arrives: nothing verified yet.
            if (receiver.receive(LogRecord.parse(r.wire())) != Receipt.APPENDED) {
                throw new IllegalStateException("not appended");
            }
        }
        System.out.printf("received %d records (%s phase), each verified once on entry: %.1f ms%n", sent.size(), what,
                (System.nanoTime() - start) / 1e6);
        return Governance.recordsOf(receiver);
    }

    private static void time(String what, int records, java.util.function.Supplier<String> run) {
        // Wall time and this thread's CPU time: on a shared machine the CPU time is the work itself.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long first = 0;
        long firstCpu = 0;
        long best = Long.MAX_VALUE;
        long bestCpu = Long.MAX_VALUE;
        long[] cpus = new long[5];
        String result = null;
        for (int round = 0; round < 6; round++) {
            long start = System.nanoTime();
            long startCpu = cpu.getCurrentThreadCpuTime();
            result = run.get();
            long took = System.nanoTime() - start;
            long tookCpu = cpu.getCurrentThreadCpuTime() - startCpu;
            if (round == 0) {
                first = took;
                firstCpu = tookCpu;
            } else {
                best = Math.min(best, took);
                bestCpu = Math.min(bestCpu, tookCpu);
                cpus[round - 1] = tookCpu;
            }
        }
        System.out.printf("%s over %d records: first run %.1f ms (CPU %.1f ms), best of the next 5 %.1f ms (CPU %.1f "
                + "ms) (%s)%n", what, records, first / 1e6, firstCpu / 1e6, best / 1e6, bestCpu / 1e6, result);
        java.util.Arrays.sort(cpus);
        System.out.printf("%s CPU of the next 5: median %.1f ms, range %.1f-%.1f ms%n", what, cpus[2] / 1e6,
                cpus[0] / 1e6, cpus[4] / 1e6);
    }
}
