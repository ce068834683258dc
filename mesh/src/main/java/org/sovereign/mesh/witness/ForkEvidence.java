package org.sovereign.mesh.witness;

import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.mesh.witness.WitnessRecords.PublishedCheckpoint;
import org.sovereign.store.audit.merkle.InvalidProofException;

import java.util.Arrays;
import java.util.Optional;

/**
 * Whether two checkpoint records of one log prove that the log forked or shrank. The later record names the earlier as
 * its predecessor, so the author signed both and claimed the later extends the earlier; if it does not, the pair is
 * evidence a third party checks with the author's public key only (it is in the records).
 */
public final class ForkEvidence {
    private ForkEvidence() {
    }

    /**
     * The reason the pair is evidence, in plain words, or empty when it is not (the records are consistent, unrelated,
     * unsigned or not checkpoints).
     */
    public static Optional<String> check(LogRecord earlier, LogRecord later) {
        if (!earlier.signatureValid() || !later.signatureValid() || !earlier.author().equals(later.author())
                || !earlier.coop().equals(later.coop())) {
            return Optional.empty();
        }
        PublishedCheckpoint a;
        PublishedCheckpoint b;
        try {
            a = WitnessRecords.readCheckpoint(earlier);
            b = WitnessRecords.readCheckpoint(later);
        } catch (MalformedRecordException e) {
            return Optional.empty();
        }
        return inconsistency(a, b);
    }

    /** Why {@code b} (which names {@code a} as its predecessor) does not extend {@code a}, if it does not. */
    static Optional<String> inconsistency(PublishedCheckpoint a, PublishedCheckpoint b) {
        if (b.previousRecord() != a.record().seq()) {
            return Optional.empty();
        }
        long size1 = a.checkpoint().size();
        long size2 = b.checkpoint().size();
        if (!a.checkpoint().origin().equals(b.checkpoint().origin())) {
            return Optional.of("its checkpoint " + b.record().seq() + " names another log than checkpoint "
                    + a.record().seq());
        }
        if (size2 < size1) {
            return Optional.of("it shrank from " + size1 + " to " + size2 + " entries (a rollback)");
        }
        if (size2 == size1 && !Arrays.equals(a.checkpoint().rootHash(), b.checkpoint().rootHash())) {
            return Optional.of("it signed two different trees of " + size1 + " entries (a fork)");
        }
        if (b.previousSize() != size1) {
            return Optional.of("checkpoint " + b.record().seq() + " proves consistency from " + b.previousSize()
                    + " entries, but its predecessor had " + size1);
        }
        try {
            a.checkpoint().verifyConsistentWith(b.checkpoint(), b.proof());
            return Optional.empty();
        } catch (InvalidProofException e) {
            return Optional.of("its " + size2 + "-entry tree does not extend its earlier " + size1
                    + "-entry tree (a fork)");
        }
    }
}
