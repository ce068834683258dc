package org.sovereign.mesh.witness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.store.audit.checkpoint.Checkpoint;
import org.sovereign.store.audit.checkpoint.MalformedCheckpointException;
import org.sovereign.store.audit.note.NoteException;
import org.sovereign.store.audit.note.NoteSignature;
import org.sovereign.store.audit.note.NoteVerificationException;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;
import org.sovereign.store.audit.note.VerifierKey;
import org.sovereign.store.vault.crypto.Hex;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The three record types of witnessing and their bodies (docs/mesh.md):
 * <ul>
 *   <li>{@value #CHECKPOINT}: a member's own signed audit checkpoint ({@code note}), the place of its previous
 *   checkpoint record in the same log ({@code prev_record}, 0 for the first), that record's tree size
 *   ({@code prev_size}) and the RFC 9162 consistency proof from it ({@code proof}, base64 hashes);</li>
 *   <li>{@value #COSIGNATURE}: a witness's cosignature of another member's checkpoint: the log's author
 *   ({@code log}), the checkpoint record's place ({@code record}), the checkpoint body ({@code checkpoint}) and the
 *   cosignature line's name and base64 payload ({@code name}, {@code sig});</li>
 *   <li>{@value #FORK}: evidence that a log forked or shrank: the two checkpoint records' wire forms
 *   ({@code earlier}, {@code later}, base64), checkable by anyone with {@link ForkEvidence#check}.</li>
 * </ul>
 */
public final class WitnessRecords {
    /** A member's own audit checkpoint. */
    public static final String CHECKPOINT = "audit.checkpoint";
    /** A witness's cosignature of another member's checkpoint. */
    public static final String COSIGNATURE = "audit.cosignature";
    /** Evidence of a forked or rolled-back audit log. */
    public static final String FORK = "audit.fork";
    /** The body version of all three types. */
    public static final int VERSION = 1;
    /** The most hashes a consistency proof may hold (2 log2 of the largest log, with room). */
    static final int MAX_PROOF = 128;

    private WitnessRecords() {
    }

    /** A checkpoint record's body, read and checked: its note is signed by the record's author for its origin. */
    public record PublishedCheckpoint(LogRecord record, SignedNote note, Checkpoint checkpoint, long previousRecord,
                                      long previousSize, List<byte[]> proof) {
        public PublishedCheckpoint {
            proof = List.copyOf(proof);
        }
    }

    static ObjectNode checkpointBody(SignedNote note, long previousRecord, long previousSize, List<byte[]> proof) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("note", new String(note.toBytes(), StandardCharsets.UTF_8));
        body.put("prev_record", previousRecord);
        body.put("prev_size", previousSize);
        ArrayNode hashes = body.putArray("proof");
        proof.forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
        return body;
    }

    /**
     * Reads a checkpoint record. The note must be a checkpoint signed by the record's author under the note's origin.
     *
     * @throws MalformedRecordException with a plain reason when it is not a valid checkpoint record
     */
    public static PublishedCheckpoint readCheckpoint(LogRecord record) {
        if (!CHECKPOINT.equals(record.type()) || record.version() != VERSION) {
            throw new MalformedRecordException("Not an audit checkpoint record.");
        }
        JsonNode body = record.body();
        String noteText = text(body, "note");
        long previousRecord = number(body, "prev_record");
        long previousSize = number(body, "prev_size");
        if (previousRecord >= record.seq()) {
            throw new MalformedRecordException("A checkpoint record names a previous record that is not earlier.");
        }
        JsonNode hashes = body.get("proof");
        if (hashes == null || !hashes.isArray() || hashes.size() > MAX_PROOF) {
            throw new MalformedRecordException("A checkpoint record's proof is missing or too long.");
        }
        List<byte[]> proof = new ArrayList<>();
        for (JsonNode h : hashes) {
            byte[] hash = base64(h, "proof");
            if (hash.length != 32) {
                throw new MalformedRecordException("A proof hash is not 32 bytes.");
            }
            proof.add(hash);
        }
        try {
            SignedNote note = SignedNote.parse(noteText);
            Checkpoint checkpoint = Checkpoint.parse(note.text());
            VerifierKey key = VerifierKey.ofEd25519(checkpoint.origin(), Hex.decode(record.author()));
            NoteVerifier.of(key).verify(note);
            return new PublishedCheckpoint(record, note, checkpoint, previousRecord, previousSize, proof);
        } catch (NoteVerificationException e) {
            throw new MalformedRecordException("The checkpoint in record " + record.seq() + " is not signed by its author.");
        } catch (NoteException | MalformedCheckpointException | IllegalArgumentException e) {
            throw new MalformedRecordException("The checkpoint in record " + record.seq() + " cannot be read: "
                    + e.getMessage());
        }
    }

    /** A cosignature record's fields, read but not checked. */
    public record PublishedCosignature(LogRecord record, String log, long checkpointRecord, Checkpoint checkpoint,
                                       NoteSignature cosignature) {
    }

    static ObjectNode cosignatureBody(String log, long checkpointRecord, Checkpoint checkpoint, NoteSignature cosignature) {
        byte[] blob = ByteBuffer.allocate(4 + cosignature.signature().length).putInt(cosignature.keyId())
                .put(cosignature.signature()).array();
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("log", log);
        body.put("record", checkpointRecord);
        body.put("checkpoint", checkpoint.toText());
        body.put("name", cosignature.keyName());
        body.put("sig", Base64.getEncoder().encodeToString(blob));
        return body;
    }

    /** Reads a cosignature record's fields. */
    public static PublishedCosignature readCosignature(LogRecord record) {
        if (!COSIGNATURE.equals(record.type()) || record.version() != VERSION) {
            throw new MalformedRecordException("Not an audit cosignature record.");
        }
        JsonNode body = record.body();
        String log = text(body, "log");
        long checkpointRecord = number(body, "record");
        String name = text(body, "name");
        byte[] blob = base64(body.get("sig"), "sig");
        if (blob.length < 4 || blob.length > 4 + 8 + 64) {
            throw new MalformedRecordException("A cosignature has the wrong length.");
        }
        try {
            Checkpoint checkpoint = Checkpoint.parse(text(body, "checkpoint"));
            NoteSignature line = new NoteSignature(name, ByteBuffer.wrap(blob, 0, 4).getInt(),
                    Arrays.copyOfRange(blob, 4, blob.length));
            return new PublishedCosignature(record, log, checkpointRecord, checkpoint, line);
        } catch (MalformedCheckpointException e) {
            throw new MalformedRecordException("A cosigned checkpoint cannot be read: " + e.getMessage());
        }
    }

    static ObjectNode forkBody(String log, LogRecord earlier, LogRecord later) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("log", log);
        body.put("earlier", Base64.getEncoder().encodeToString(earlier.wire()));
        body.put("later", Base64.getEncoder().encodeToString(later.wire()));
        return body;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new MalformedRecordException("The field '" + field + "' is missing or not text.");
        }
        return node.asText();
    }

    private static long number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.canConvertToExactIntegral() || node.asLong() < 0) {
            throw new MalformedRecordException("The field '" + field + "' is missing or not a whole number >= 0.");
        }
        return node.asLong();
    }

    static byte[] base64(JsonNode node, String field) {
        if (node == null || !node.isTextual()) {
            throw new MalformedRecordException("The field '" + field + "' is missing or not text.");
        }
        try {
            return Base64.getDecoder().decode(node.asText());
        } catch (IllegalArgumentException e) {
            throw new MalformedRecordException("The field '" + field + "' is not base64.");
        }
    }
}
