package org.sovereign.store.audit.checkpoint;

import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.note.NoteVerifier;

import java.util.List;

/**
 * Verifies a {@code .tlog-proof} file with nothing but the log's verifier key strings and the entry:
 * what a third party without access to the vault does.
 */
public final class OfflineProofVerifier {
    private OfflineProofVerifier() {
    }

    /**
     * Verifies that {@code entry} is in the log that signed the proof file's checkpoint.
     *
     * @param proofFile    the proof file bytes (c2sp.org/tlog-proof@v1)
     * @param entry        the logged entry's bytes (hashed as an RFC 9162 leaf)
     * @param verifierKeys the trusted log verifier keys, {@code name+keyid+base64}
     * @return the verified checkpoint
     * @throws AuditException a subclass naming why the proof file, key, note or proof is rejected
     */
    public static Checkpoint verifyEntry(byte[] proofFile, byte[] entry, List<String> verifierKeys) throws AuditException {
        return verifyLeafHash(proofFile, MerkleHash.leaf(entry), verifierKeys);
    }

    /** As {@link #verifyEntry} for an entry given by its 32-byte leaf hash. */
    public static Checkpoint verifyLeafHash(byte[] proofFile, byte[] leafHash, List<String> verifierKeys)
            throws AuditException {
        NoteVerifier logKeys = NoteVerifier.parse(verifierKeys.toArray(String[]::new));
        return TlogProof.parse(proofFile).verifyLeafHash(leafHash, logKeys);
    }
}
