package org.sovereign.store.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.checkpoint.MalformedCheckpointException;
import org.sovereign.store.audit.checkpoint.MalformedTlogProofException;
import org.sovereign.store.audit.checkpoint.TlogProof;
import org.sovereign.store.audit.note.MalformedNoteException;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.InvalidConsentException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Fuzz targets for what local-store reads from outside (issue 15): signed notes, checkpoints, offline proofs and
 * consent receipts come from files and peers. Any input may only be parsed or refused with the parser's own typed
 * exception; anything else (a runtime exception, a stack overflow, a hang) is a finding. The default test run replays
 * the committed inputs under {@code src/test/resources/.../ParsersFuzzTestInputs/}; {@code -Pfuzz} fuzzes for a
 * bounded time and findings are added there.
 */
class ParsersFuzzTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @FuzzTest(maxDuration = "60s")
    void signedNote(byte[] data) {
        try {
            SignedNote.parse(data);
        } catch (MalformedNoteException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "60s")
    void checkpoint(byte[] data) {
        try {
            Checkpoint.parse(new String(data, StandardCharsets.UTF_8));
        } catch (MalformedCheckpointException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "60s")
    void tlogProof(byte[] data) {
        try {
            TlogProof.parse(data);
        } catch (MalformedTlogProofException expected) {
            // refused with a reason
        }
    }

    @FuzzTest(maxDuration = "60s")
    void consentReceipt(byte[] data) {
        try {
            ConsentReceipt.verify(data, NOW);
        } catch (InvalidConsentException expected) {
            // refused with a reason
        }
    }
}
