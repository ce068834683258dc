package org.sovereign.store.audit.log;

import java.time.Duration;
import java.util.Objects;

/**
 * When an {@link AuditLog} signs a checkpoint. Every appended entry is durable when {@code append} returns, whatever
 * the policy; the policy only decides how soon a signature covers it.
 *
 * <ul>
 *   <li>{@link #EVERY_APPEND}: a checkpoint is signed before every {@code append} returns (the log's default).</li>
 *   <li>{@link #grouped(int, Duration)}: group commit (ADR-0004). A background checkpointer signs once
 *       {@code maxEntries} entries are uncovered, or {@code maxDelay} after the first uncovered entry, whichever comes
 *       first; explicit flushes ({@link AuditLog#flush()}, proofs, close) sign at once.</li>
 * </ul>
 *
 * @param maxEntries uncovered entries that trigger a checkpoint at once (1 = every append)
 * @param maxDelay   longest time an entry stays uncovered while the log is open
 */
public record CheckpointPolicy(int maxEntries, Duration maxDelay) {

    /** Sign before every append returns. */
    public static final CheckpointPolicy EVERY_APPEND = new CheckpointPolicy(1, Duration.ZERO);

    /** What the local store uses: at most 1,000 uncovered entries, none older than 250 ms. */
    public static final CheckpointPolicy LOCAL_STORE = grouped(1_000, Duration.ofMillis(250));

    public CheckpointPolicy {
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        if (maxDelay.isNegative()) {
            throw new IllegalArgumentException("maxDelay must not be negative");
        }
    }

    /** Group commit: sign after {@code maxEntries} uncovered entries or {@code maxDelay}, whichever comes first. */
    public static CheckpointPolicy grouped(int maxEntries, Duration maxDelay) {
        return new CheckpointPolicy(maxEntries, maxDelay);
    }

    /** Whether every append signs before returning. */
    public boolean everyAppend() {
        return maxEntries == 1 || maxDelay.isZero();
    }
}
