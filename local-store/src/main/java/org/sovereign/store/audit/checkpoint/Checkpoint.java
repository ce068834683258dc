package org.sovereign.store.audit.checkpoint;

import org.sovereign.store.audit.merkle.InvalidProofException;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleVerifier;
import org.sovereign.store.audit.note.InvalidVerifierKeyException;
import org.sovereign.store.audit.note.MalformedNoteException;
import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.audit.note.NoteVerificationException;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note text
 * {@code <origin>\n<tree size>\n<base64 root hash>\n} followed by optional extension lines.
 *
 * @param origin     the log's unique identity, conventionally also its key name
 * @param size       the number of leaves
 * @param rootHash   the 32-byte RFC 9162 root hash at that size
 * @param extensions optional non-empty extension lines (not recommended)
 */
public record Checkpoint(String origin, long size, byte[] rootHash, List<String> extensions) {
    /**
     * @throws IllegalArgumentException if a field cannot be written as a checkpoint
     */
    public Checkpoint {
        if (origin == null || origin.isEmpty() || Lines.hasControlCharacter(origin)) {
            throw new IllegalArgumentException("the origin must be a non-empty line");
        }
        if (size < 0) {
            throw new IllegalArgumentException("the tree size must not be negative");
        }
        if (rootHash == null || rootHash.length != MerkleHash.SIZE) {
            throw new IllegalArgumentException("the root hash must be " + MerkleHash.SIZE + " bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            if (line.isEmpty() || Lines.hasControlCharacter(line)) {
                throw new IllegalArgumentException("extension lines must be non-empty single lines");
            }
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, byte[] rootHash) {
        this(origin, size, rootHash, List.of());
    }

    /** Parses checkpoint note text strictly (the text of an already verified note). */
    public static Checkpoint parse(String text) throws MalformedCheckpointException {
        if (!text.endsWith("\n")) {
            throw new MalformedCheckpointException("the text does not end in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new MalformedCheckpointException("needs an origin, a tree size and a root hash line");
        }
        for (String line : lines) {
            if (line.isEmpty()) {
                throw new MalformedCheckpointException("contains an empty line");
            }
            if (Lines.hasControlCharacter(line)) {
                throw new MalformedCheckpointException("contains a control character");
            }
        }
        long size = Lines.parseDecimal(lines[1]);
        if (size < 0) {
            throw new MalformedCheckpointException("the tree size is not a decimal without leading zeros");
        }
        byte[] root = Lines.decodeBase64(lines[2]);
        if (root == null || root.length != MerkleHash.SIZE) {
            throw new MalformedCheckpointException("the root hash is not base64 of " + MerkleHash.SIZE + " bytes");
        }
        return new Checkpoint(lines[0], size, root, List.of(lines).subList(3, lines.length));
    }

    /** Verifies a signed checkpoint note with the trusted log keys, then parses its text. */
    public static Checkpoint open(byte[] signedNote, NoteVerifier logKeys)
            throws MalformedNoteException, NoteVerificationException, MalformedCheckpointException {
        return parse(logKeys.open(signedNote).text());
    }

    /** Verifies a parsed signed checkpoint note with the trusted log keys, then parses its text. */
    public static Checkpoint open(SignedNote signedNote, NoteVerifier logKeys)
            throws NoteVerificationException, MalformedCheckpointException {
        return parse(logKeys.verify(signedNote).text());
    }

    /**
     * Verifies that {@code newer} extends this checkpoint: same origin, not smaller, and the RFC 9162
     * consistency proof leads from this root to the newer root. This is how a client detects a forked
     * or rewritten log.
     */
    public void verifyConsistentWith(Checkpoint newer, List<byte[]> consistencyProof) throws InvalidProofException {
        if (!origin.equals(newer.origin)) {
            throw new InvalidProofException("checkpoints come from different logs: " + origin + " and " + newer.origin);
        }
        MerkleVerifier.verifyConsistency(size, newer.size, rootHash, newer.rootHash, consistencyProof);
    }

    /** The note text: origin, size, base64 root hash and extension lines, each ending in a newline. */
    public String toText() {
        StringBuilder sb = new StringBuilder()
                .append(origin).append('\n')
                .append(size).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        extensions.forEach(line -> sb.append(line).append('\n'));
        return sb.toString();
    }

    /** Signs this checkpoint as a note (the log's key name should equal the origin). */
    public SignedNote sign(NoteSigner... signers)
            throws MalformedNoteException, InvalidVerifierKeyException, GeneralSecurityException {
        return SignedNote.sign(toText(), signers);
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && origin.equals(c.origin) && size == c.size
                && Arrays.equals(rootHash, c.rootHash) && extensions.equals(c.extensions);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * origin.hashCode() + Long.hashCode(size)) + Arrays.hashCode(rootHash))
                + extensions.hashCode();
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", size " + size + ", root "
                + Base64.getEncoder().encodeToString(rootHash) + "]";
    }
}
