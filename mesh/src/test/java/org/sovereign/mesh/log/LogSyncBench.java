package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Anti-entropy cost without a network: N members, each having written its share of R records while apart, merge in
 * one process over encoded messages until none is left. Prints the time to converge, records verified and messages.
 * Run: {@code java -cp <mesh test class path> org.sovereign.mesh.log.LogSyncBench [members] [records]}.
 */
public final class LogSyncBench {
    private LogSyncBench() {
    }

    private record Envelope(int to, int from, byte[] bytes) {
    }

    public static void main(String[] args) {
        int members = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        for (int round = 0; round < 3; round++) {
            List<LogSync> syncs = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                syncs.add(new LogSync(new MeshLog("bench", RecordSigner.generate(), new MemoryRecordStore(),
                        Clock.systemUTC())));
            }
            for (int i = 0; i < records; i++) {
                syncs.get(i % members).log().append("note", 1, JsonNodeFactory.instance.objectNode()
                        .put("n", i).put("text", "a record of moderate length for the benchmark"));
            }
            long start = System.nanoTime();
            Deque<Envelope> queue = new ArrayDeque<>();
            for (int m = 0; m < members; m++) {
                for (int o = 0; o < members; o++) {
                    if (o != m) {
                        queue.add(new Envelope(o, m, syncs.get(m).heads()));
                    }
                }
            }
            long messages = 0;
            long bytes = 0;
            while (!queue.isEmpty()) {
                Envelope e = queue.poll();
                messages++;
                bytes += e.bytes().length;
                for (byte[] reply : syncs.get(e.to()).handle(e.from(), e.bytes())) {
                    queue.add(new Envelope(e.from(), e.to(), reply));
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            boolean converged = syncs.stream().allMatch(s -> s.log().heads().equals(syncs.get(0).log().heads()));
            System.out.printf("round %d: %d members, %d records: converged=%s in %d ms, %d messages, %.1f MiB%n",
                    round + 1, members, records, converged, millis, messages, bytes / 1048576.0);
        }
    }
}
