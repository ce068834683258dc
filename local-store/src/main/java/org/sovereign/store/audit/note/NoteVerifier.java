package org.sovereign.store.audit.note;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Verifies signed notes against a fixed set of trusted {@link VerifierKey}s, following
 * c2sp.org/signed-note: signatures from unknown keys are ignored, a note is rejected if any trusted
 * key's signature fails or if no trusted key's signature verifies.
 */
public final class NoteVerifier {
    private final List<VerifierKey> keys;

    /** A verifier trusting {@code keys} (identical duplicates are merged). */
    public NoteVerifier(Collection<VerifierKey> keys) {
        this.keys = List.copyOf(new LinkedHashSet<>(keys));
    }

    /** A verifier trusting {@code keys}. */
    public static NoteVerifier of(VerifierKey... keys) {
        return new NoteVerifier(List.of(keys));
    }

    /** A verifier trusting the keys given as verifier key strings. */
    public static NoteVerifier parse(String... verifierKeys) throws InvalidVerifierKeyException {
        List<VerifierKey> parsed = new ArrayList<>();
        for (String key : verifierKeys) {
            parsed.add(VerifierKey.parse(key));
        }
        return new NoteVerifier(parsed);
    }

    /** The trusted keys. */
    public List<VerifierKey> keys() {
        return keys;
    }

    /** Parses and verifies a note given as UTF-8 bytes. */
    public VerifiedNote open(byte[] note) throws MalformedNoteException, NoteVerificationException {
        return verify(SignedNote.parse(note));
    }

    /** Verifies a parsed note. */
    public VerifiedNote verify(SignedNote note) throws NoteVerificationException {
        byte[] message = note.signedBytes();
        List<VerifierKey> verified = new ArrayList<>();
        List<NoteSignature> unknown = new ArrayList<>();
        for (NoteSignature signature : note.signatures()) {
            VerifierKey key = keyFor(signature);
            if (key == null) {
                if (!unknown.contains(signature)) {
                    unknown.add(signature);
                }
            } else if (!key.verify(message, signature.signature())) {
                throw new NoteVerificationException("invalid signature for key " + signature);
            } else if (!verified.contains(key)) {
                verified.add(key);
            }
        }
        if (verified.isEmpty()) {
            throw new NoteVerificationException("note has no signature from a trusted key");
        }
        return new VerifiedNote(note.text(), verified, unknown);
    }

    private VerifierKey keyFor(NoteSignature signature) throws NoteVerificationException {
        VerifierKey found = null;
        for (VerifierKey key : keys) {
            if (signature.isFrom(key)) {
                if (found != null) {
                    throw new NoteVerificationException("ambiguous key " + signature
                            + ": two trusted keys share this name and id");
                }
                found = key;
            }
        }
        return found;
    }
}
