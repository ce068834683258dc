package org.sovereign.store.audit.note;

import java.util.List;

/**
 * A note that at least one trusted key verified.
 *
 * @param text                 the signed text, safe to act upon
 * @param verifiedBy           the trusted keys whose signatures verified, in note order, no repeats
 * @param unknownSignatures    signatures from keys not in the trusted set (ignored), no repeats
 */
public record VerifiedNote(String text, List<VerifierKey> verifiedBy, List<NoteSignature> unknownSignatures) {
    public VerifiedNote {
        verifiedBy = List.copyOf(verifiedBy);
        unknownSignatures = List.copyOf(unknownSignatures);
    }
}
