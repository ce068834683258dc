package org.sovereign.store.audit.note;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A C2SP signed note (c2sp.org/signed-note): UTF-8 text ending in a newline, a blank line, then one or
 * more lines {@code — <key name> base64(4-byte key id || signature)}.
 *
 * <p>Parsing only checks the syntax; use {@link NoteVerifier} to decide whether a note is trusted.
 * The text of an unverified note must not be acted upon.
 *
 * @param text       the signed text, including its final newline
 * @param signatures the signature lines, in order (at least one)
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
    /** The most signatures a note may carry (the spec requires accepting at least 16). */
    public static final int MAX_SIGNATURES = 100;

    /**
     * @throws IllegalArgumentException if the text is not valid note text or there are no signatures
     */
    public SignedNote {
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("a note needs 1 to " + MAX_SIGNATURES + " signatures");
        }
    }

    /** Signs {@code text} with every signer, in order. */
    public static SignedNote sign(String text, NoteSigner... signers)
            throws MalformedNoteException, InvalidVerifierKeyException, GeneralSecurityException {
        String problem = textProblem(text);
        if (problem != null) {
            throw new MalformedNoteException(problem);
        }
        if (signers.length == 0) {
            throw new IllegalArgumentException("at least one signer is required");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        for (NoteSigner signer : signers) {
            signatures.add(signatureBy(signer, text));
        }
        return new SignedNote(text, signatures);
    }

    /** This note with signatures added by {@code signers}, replacing earlier ones by the same keys. */
    public SignedNote withSignatures(NoteSigner... signers) throws InvalidVerifierKeyException, GeneralSecurityException {
        List<NoteSignature> all = new ArrayList<>(signatures);
        for (NoteSigner signer : signers) {
            NoteSignature added = signatureBy(signer, text);
            all.removeIf(s -> s.keyName().equals(added.keyName()) && s.keyId() == added.keyId());
            all.add(added);
        }
        return new SignedNote(text, all);
    }

    private static NoteSignature signatureBy(NoteSigner signer, String text)
            throws InvalidVerifierKeyException, GeneralSecurityException {
        VerifierKey key = signer.verifierKey();
        byte[] signature = signer.sign(text.getBytes(StandardCharsets.UTF_8));
        if (signature == null || signature.length != Ed25519Keys.SIGNATURE_SIZE) {
            throw new GeneralSecurityException("signer " + key.name() + " returned a malformed Ed25519 signature");
        }
        if (!key.verify(text.getBytes(StandardCharsets.UTF_8), signature)) {
            throw new GeneralSecurityException("signer " + key.name() + " produced a signature its public key rejects");
        }
        return new NoteSignature(key.name(), key.keyId(), signature);
    }

    /** Parses a signed note from its UTF-8 bytes, checking the syntax strictly. */
    public static SignedNote parse(byte[] note) throws MalformedNoteException {
        String s;
        try {
            s = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(note)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedNoteException("not valid UTF-8");
        }
        return parse(s);
    }

    /** Parses a signed note, checking the syntax strictly. */
    public static SignedNote parse(String note) throws MalformedNoteException {
        if (!isEncodable(note)) {
            throw new MalformedNoteException("not valid Unicode text");
        }
        for (int i = 0; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new MalformedNoteException("contains a control character");
            }
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0) {
            throw new MalformedNoteException("no blank line separates the text from the signatures");
        }
        String text = note.substring(0, split + 1);
        String block = note.substring(split + 2);
        if (block.isEmpty()) {
            throw new MalformedNoteException("no signature lines");
        }
        if (!block.endsWith("\n")) {
            throw new MalformedNoteException("the last signature line does not end in a newline");
        }
        String[] lines = block.substring(0, block.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new MalformedNoteException("more than " + MAX_SIGNATURES + " signatures");
        }
        List<NoteSignature> signatures = new ArrayList<>(lines.length);
        for (String line : lines) {
            signatures.add(parseSignatureLine(line));
        }
        return new SignedNote(text, signatures);
    }

    private static NoteSignature parseSignatureLine(String line) throws MalformedNoteException {
        if (!line.startsWith(NoteSignature.LINE_PREFIX)) {
            throw new MalformedNoteException("a signature line must start with an em dash and a space");
        }
        String rest = line.substring(NoteSignature.LINE_PREFIX.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new MalformedNoteException("a signature line needs a key name and a signature");
        }
        String name = rest.substring(0, space);
        if (!VerifierKey.isValidKeyName(name)) {
            throw new MalformedNoteException("invalid key name in a signature line");
        }
        byte[] blob = VerifierKey.decodeBase64(rest.substring(space + 1));
        if (blob == null) {
            throw new MalformedNoteException("a signature is not canonical base64");
        }
        if (blob.length < 5) {
            throw new MalformedNoteException("a signature is too short");
        }
        int keyId = ByteBuffer.wrap(blob, 0, 4).getInt();
        return new NoteSignature(name, keyId, Arrays.copyOfRange(blob, 4, blob.length));
    }

    /** The note as text: the signed text, a blank line, the signature lines. */
    public String encode() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        signatures.forEach(s -> sb.append(s.line()));
        return sb.toString();
    }

    /** The note as UTF-8 bytes. */
    public byte[] toBytes() {
        return encode().getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes the signatures are over: the text as UTF-8. */
    public byte[] signedBytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Null if {@code text} can be the text of a note, else what is wrong with it. */
    static String textProblem(String text) {
        if (text == null || text.isEmpty()) {
            return "the text is empty";
        }
        if (!text.endsWith("\n")) {
            return "the text does not end in a newline";
        }
        if (!isEncodable(text)) {
            return "the text is not valid Unicode";
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 && c != '\n') {
                return "the text contains a control character";
            }
        }
        return null;
    }

    private static boolean isEncodable(String s) {
        try {
            StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
