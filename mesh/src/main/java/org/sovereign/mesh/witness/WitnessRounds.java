package org.sovereign.mesh.witness;

import org.sovereign.mesh.log.LogHead;
import org.sovereign.store.audit.log.AuditLog;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs witnessing for a running member: every round it publishes this member's latest audit checkpoint if it is new,
 * cosigns what other members published, and when that wrote records, asks the mesh to announce them. One daemon
 * thread; {@link #close()} stops it and waits for a running round.
 */
public final class WitnessRounds implements AutoCloseable {
    private final Witness witness;
    private final AuditLog audit;
    private final Runnable announce;
    private final Consumer<String> warn;
    private final ScheduledExecutorService timer;
    private final Set<String> warned = new HashSet<>();
    private Map<String, LogHead> lastHeads = Map.of();
    private long lastAuditSize = -1;

    private WitnessRounds(Witness witness, AuditLog audit, Runnable announce, Consumer<String> warn) {
        this.witness = witness;
        this.audit = audit;
        this.announce = announce;
        this.warn = warn;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesh-witness");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts rounds now and then every {@code every}.
     *
     * @param announce tells the peers this member's log grew (e.g. {@code MeshNode::announce})
     * @param warn     receives each distinct problem once, in plain words (e.g. a rolled-back audit log)
     */
    public static WitnessRounds start(Witness witness, AuditLog audit, Runnable announce, Duration every,
                                      Consumer<String> warn) {
        WitnessRounds rounds = new WitnessRounds(Objects.requireNonNull(witness), Objects.requireNonNull(audit),
                Objects.requireNonNull(announce), Objects.requireNonNull(warn));
        rounds.timer.scheduleWithFixedDelay(rounds::round, 0, every.toMillis(), TimeUnit.MILLISECONDS);
        return rounds;
    }

    /**
     * One round; also callable directly. Returns whether records were written. A round reads every member's log, so it
     * is skipped while neither the logs held nor this member's audit log changed since the last one.
     */
    public synchronized boolean round() {
        Map<String, LogHead> heads = witness.heads();
        long auditSize = audit.size();
        if (heads.equals(lastHeads) && auditSize == lastAuditSize) {
            return false;
        }
        boolean wrote = false;
        try {
            wrote = witness.publish(audit).isPresent();
        } catch (Witness.RolledBackException e) {
            once(e.getMessage() + " Nothing more is published until this is resolved.");
        } catch (RuntimeException e) {
            once("Publishing the audit checkpoint failed: " + e.getMessage());
        }
        try {
            Witness.Outcome outcome = witness.witnessAll();
            wrote |= outcome.cosigned() + outcome.forksRecorded() > 0;
            if (outcome.forksRecorded() > 0) {
                once("A member's audit log forked or shrank; the evidence is in this member's log "
                        + "('sovereign mesh witnesses' shows it).");
            }
        } catch (RuntimeException e) {
            once("Witnessing failed: " + e.getMessage());
        }
        if (wrote) {
            announce.run();
        }
        lastHeads = witness.heads();
        lastAuditSize = audit.size();
        return wrote;
    }

    private void once(String message) {
        if (warned.add(message)) {
            warn.accept(message);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
