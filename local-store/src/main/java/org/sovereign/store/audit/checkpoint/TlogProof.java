package org.sovereign.store.audit.checkpoint;

import org.sovereign.store.audit.merkle.InvalidProofException;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.merkle.MerkleVerifier;
import org.sovereign.store.audit.note.MalformedNoteException;
import org.sovereign.store.audit.note.NoteVerificationException;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * An offline proof that an entry is in a log, in the c2sp.org/tlog-proof@v1 text format:
 *
 * <pre>
 * c2sp.org/tlog-proof@v1
 * extra &lt;base64&gt;            (optional, unauthenticated)
 * index &lt;decimal&gt;
 * &lt;base64 hash&gt;              (zero or more inclusion proof hashes, leaf side first)
 *
 * &lt;signed checkpoint note, verbatim&gt;
 * </pre>
 *
 * Files conventionally use the extension {@code .tlog-proof}.
 *
 * @param extra          opaque extra data, or null when absent; never trust it
 * @param index          zero-based index of the entry in the log
 * @param inclusionProof the RFC 9162 inclusion proof of the entry in the checkpointed tree
 * @param checkpoint     the signed checkpoint note
 */
public record TlogProof(byte[] extra, long index, List<byte[]> inclusionProof, SignedNote checkpoint) {
    /** The first line of every proof file. */
    public static final String HEADER = "c2sp.org/tlog-proof@v1";

    private static final int MAX_PROOF_HASHES = 63;

    /**
     * @throws IllegalArgumentException if a field cannot be written in the format
     */
    public TlogProof {
        if (index < 0) {
            throw new IllegalArgumentException("the index must not be negative");
        }
        extra = extra == null ? null : extra.clone();
        List<byte[]> copy = new ArrayList<>();
        for (byte[] hash : inclusionProof) {
            if (hash == null || hash.length != MerkleHash.SIZE) {
                throw new IllegalArgumentException("proof hashes must be " + MerkleHash.SIZE + " bytes");
            }
            copy.add(hash.clone());
        }
        if (copy.size() > MAX_PROOF_HASHES) {
            throw new IllegalArgumentException("an inclusion proof has at most " + MAX_PROOF_HASHES + " hashes");
        }
        inclusionProof = List.copyOf(copy);
        if (checkpoint == null) {
            throw new IllegalArgumentException("the signed checkpoint is required");
        }
    }

    /**
     * Builds the proof for leaf {@code index} of {@code tree} at the size named by {@code signedCheckpoint}.
     *
     * @throws MalformedCheckpointException if the note text is not a checkpoint
     * @throws IllegalArgumentException if the checkpoint's size or root does not match the tree
     */
    public static TlogProof create(MerkleTree tree, long index, SignedNote signedCheckpoint, byte[] extra)
            throws MalformedCheckpointException {
        Checkpoint checkpoint = Checkpoint.parse(signedCheckpoint.text());
        if (checkpoint.size() > tree.size()
                || !MerkleHash.equal(tree.rootHash(checkpoint.size()), checkpoint.rootHash())) {
            throw new IllegalArgumentException("the checkpoint does not describe this tree");
        }
        return new TlogProof(extra, index, tree.inclusionProof(index, checkpoint.size()), signedCheckpoint);
    }

    /** Parses a proof file from UTF-8 bytes, strictly. */
    public static TlogProof parse(byte[] file) throws MalformedTlogProofException {
        try {
            return parse(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(file)).toString());
        } catch (CharacterCodingException e) {
            throw new MalformedTlogProofException("not valid UTF-8");
        }
    }

    /** Parses a proof file, strictly. */
    public static TlogProof parse(String file) throws MalformedTlogProofException {
        int pos = 0;
        int end = file.indexOf('\n', pos);
        if (end < 0 || !file.substring(pos, end).equals(HEADER)) {
            throw new MalformedTlogProofException("the first line must be " + HEADER);
        }
        pos = end + 1;
        byte[] extra = null;
        String line = lineAt(file, pos);
        if (line.startsWith("extra ")) {
            extra = Lines.decodeBase64(line.substring("extra ".length()));
            if (extra == null) {
                throw new MalformedTlogProofException("the extra data is not canonical base64");
            }
            pos += line.length() + 1;
            line = lineAt(file, pos);
        }
        if (!line.startsWith("index ")) {
            throw new MalformedTlogProofException("expected an index line");
        }
        long index = Lines.parseDecimal(line.substring("index ".length()));
        if (index < 0) {
            throw new MalformedTlogProofException("the index is not a decimal without leading zeros");
        }
        pos += line.length() + 1;
        List<byte[]> proof = new ArrayList<>();
        while (true) {
            line = lineAt(file, pos);
            pos += line.length() + 1;
            if (line.isEmpty()) {
                break;
            }
            byte[] hash = Lines.decodeBase64(line);
            if (hash == null || hash.length != MerkleHash.SIZE) {
                throw new MalformedTlogProofException("an inclusion proof line is not base64 of a 32-byte hash");
            }
            if (proof.size() == MAX_PROOF_HASHES) {
                throw new MalformedTlogProofException("too many inclusion proof hashes");
            }
            proof.add(hash);
        }
        SignedNote checkpoint;
        try {
            checkpoint = SignedNote.parse(file.substring(pos));
        } catch (MalformedNoteException e) {
            throw new MalformedTlogProofException("the checkpoint is not a signed note: " + e.getMessage(), e);
        }
        return new TlogProof(extra, index, proof, checkpoint);
    }

    /** The line starting at {@code pos} without its newline; the line must be terminated. */
    private static String lineAt(String file, int pos) throws MalformedTlogProofException {
        int end = pos > file.length() ? -1 : file.indexOf('\n', pos);
        if (end < 0) {
            throw new MalformedTlogProofException("the file ends before the checkpoint");
        }
        return file.substring(pos, end);
    }

    /** The proof file text. */
    public String encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        if (extra != null) {
            sb.append("extra ").append(Base64.getEncoder().encodeToString(extra)).append('\n');
        }
        sb.append("index ").append(index).append('\n');
        inclusionProof.forEach(h -> sb.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        return sb.append('\n').append(checkpoint.encode()).toString();
    }

    /** The proof file as UTF-8 bytes. */
    public byte[] toBytes() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Verifies that the entry with {@code leafHash} is at {@link #index} of the log: the checkpoint must
     * be signed by one of {@code logKeys} and the inclusion proof must lead to its root hash.
     *
     * @return the verified checkpoint (check its origin if several logs share a trust set)
     */
    public Checkpoint verifyLeafHash(byte[] leafHash, NoteVerifier logKeys)
            throws NoteVerificationException, MalformedCheckpointException, InvalidProofException {
        Checkpoint verified = Checkpoint.open(checkpoint, logKeys);
        MerkleVerifier.verifyInclusion(index, verified.size(), leafHash, inclusionProof, verified.rootHash());
        return verified;
    }

    /** As {@link #verifyLeafHash} for the entry's bytes, hashed as an RFC 9162 leaf. */
    public Checkpoint verifyEntry(byte[] entry, NoteVerifier logKeys)
            throws NoteVerificationException, MalformedCheckpointException, InvalidProofException {
        return verifyLeafHash(MerkleHash.leaf(entry), logKeys);
    }

    @Override
    public byte[] extra() {
        return extra == null ? null : extra.clone();
    }

    @Override
    public List<byte[]> inclusionProof() {
        return inclusionProof.stream().map(byte[]::clone).toList();
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TlogProof p) || index != p.index || !Arrays.equals(extra, p.extra)
                || !checkpoint.equals(p.checkpoint) || inclusionProof.size() != p.inclusionProof.size()) {
            return false;
        }
        for (int i = 0; i < inclusionProof.size(); i++) {
            if (!Arrays.equals(inclusionProof.get(i), p.inclusionProof.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 31 * Arrays.hashCode(extra) + Long.hashCode(index);
        for (byte[] hash : inclusionProof) {
            h = 31 * h + Arrays.hashCode(hash);
        }
        return 31 * h + checkpoint.hashCode();
    }

    @Override
    public String toString() {
        return "TlogProof[index " + index + ", " + inclusionProof.size() + " hashes, " + checkpoint.text().replace('\n', ' ') + "]";
    }
}
