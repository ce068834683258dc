package org.sovereign.store.crash;

import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The child process of {@link CrashSafetyTest}: opens (or creates) the store in a data directory and appends audit
 * entries and consent events until it is killed. After each append has returned it prints one protocol line and
 * flushes, so the parent knows what must have been durable at the moment of the kill:
 * <pre>
 *   opened &lt;auditSize&gt;
 *   ok audit &lt;seq&gt; &lt;marker&gt;
 *   ok consent &lt;recordId&gt; &lt;GIVEN|WITHDRAWN&gt;
 * </pre>
 * Arguments: data directory, seed, round.
 */
public final class CrashChild {

    static final char[] PASSPHRASE = "crash test passphrase".toCharArray();
    static final String MARKER = "crashMarker";
    static final String TYPE = AuditTypes.DOCUMENT_INGESTED;

    private static final long STARTED = System.nanoTime();
    private static final long MAX_LIFETIME_NANOS = 60_000_000_000L;

    private CrashChild() {
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        String round = args[2];
        PrintStream out = System.out;
        Clock clock = Clock.systemUTC();
        LocalStore store = LocalStore.exists(dir)
                ? LocalStore.unlock(dir, PASSPHRASE.clone(), clock)
                : LocalStore.create(dir, PASSPHRASE.clone(), CrashSafetyTest.FAST, clock);
        report(out, "opened " + store.audit().size());
        List<String> active = new ArrayList<>();
        for (ConsentHistory h : store.consent().all()) {
            if (h.latest().status().allowsProcessing()) {
                active.add(h.recordId());
            }
        }
        String actor = "device:crash";
        for (long op = 0; ; op++) {
            int dice = random.nextInt(10);
            String marker = "r" + round + "-" + op;
            if (dice < 5) {
                AuditEntry e = store.record(TYPE, Map.of(MARKER, marker));
                report(out, "ok audit " + e.sequence() + " " + marker);
            } else if (dice < 8) {
                int n = 2 + random.nextInt(60);
                List<AuditEntry> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(AuditEntry.of(TYPE, actor, Map.of(MARKER, marker + "-" + i)));
                }
                List<AuditEntry> stored = store.audit().append(batch, store.signer());
                StringBuilder lines = new StringBuilder();
                for (AuditEntry e : stored) {
                    lines.append("ok audit ").append(e.sequence()).append(' ').append(e.refs().get(MARKER)).append('\n');
                }
                out.print(lines);
                out.flush();
                stopIfOrphaned(out);
            } else if (dice == 8 || active.isEmpty()) {
                ConsentHistory h = store.consent().grant(terms(dir, clock));
                active.add(h.recordId());
                report(out, "ok consent " + h.recordId() + " " + h.latest().status());
            } else {
                String id = active.remove(random.nextInt(active.size()));
                ConsentHistory h = store.consent().withdraw(id);
                report(out, "ok consent " + h.recordId() + " " + h.latest().status());
            }
        }
    }

    private static void report(PrintStream out, String line) {
        out.print(line + "\n");
        out.flush();
        stopIfOrphaned(out);
    }

    /** A child whose parent is gone (stdout closed) or that outlived any round stops by itself. */
    private static void stopIfOrphaned(PrintStream out) {
        if (out.checkError() || System.nanoTime() - STARTED > MAX_LIFETIME_NANOS) {
            Runtime.getRuntime().halt(3);
        }
    }

    static ConsentTerms terms(Path dir, Clock clock) {
        Instant now = clock.instant();
        return new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation", List.of("private assistant"),
                List.of("dpv-pd:Document"), List.of(dir.resolve("notes").toAbsolutePath().toString()), List.of(),
                EnumSet.of(Operation.INDEX, Operation.GENERATE), "EU", "P1Y", now.minusSeconds(1), now.plus(Duration.ofDays(30)),
                "Withdraw on the Consent screen", "Your notes will be indexed and used to answer your questions on this computer.", "en");
    }
}
