package org.sovereign.store.audit.note;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Signed notes against the published vectors of golang.org/x/mod/sumdb/note (note_test.go: the
 * PeterNeumann and EnochRoot keys and notes) and the example in C2SP signed-note.md.
 */
class SignedNoteTest {
    // Facts from golang.org/x/mod/sumdb/note note_test.go.
    static final String PETER_VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String PETER_SKEY_MATERIAL = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"; // 0x01 || seed
    static final String ENOCH_VKEY = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "\u2014 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    // The example note of C2SP signed-note.md (its public key is not published).
    static final String SPEC_EXAMPLE = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n\n"
            + "\u2014 quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=\n";

    static Ed25519NoteSigner peterSigner() throws Exception {
        byte[] material = Base64.getDecoder().decode(PETER_SKEY_MATERIAL);
        assertThat(material[0]).isEqualTo((byte) 1);
        KeyPair pair = Ed25519Keys.keyPairFromSeed(Arrays.copyOfRange(material, 1, material.length));
        return new Ed25519NoteSigner("PeterNeumann", pair);
    }

    static NoteVerifier verifier(String... keys) throws InvalidVerifierKeyException {
        return NoteVerifier.parse(keys);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signingReproducesThePublishedNoteByteForByte() throws Exception {
        Ed25519NoteSigner signer = peterSigner();
        assertThat(signer.verifierKey().encode()).isEqualTo(PETER_VKEY);
        assertThat(SignedNote.sign(TEXT, signer).encode()).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void publishedNoteVerifies() throws Exception {
        VerifiedNote note = verifier(PETER_VKEY).open(utf8(TEXT + "\n" + PETER_SIG));
        assertThat(note.text()).isEqualTo(TEXT);
        assertThat(note.verifiedBy()).containsExactly(VerifierKey.parse(PETER_VKEY));
        assertThat(note.unknownSignatures()).isEmpty();
    }

    @Test
    void signaturesFromUnknownKeysAreIgnored() throws Exception {
        VerifiedNote note = verifier(PETER_VKEY).open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG));
        assertThat(note.verifiedBy()).extracting(VerifierKey::name).containsExactly("PeterNeumann");
        assertThat(note.unknownSignatures()).extracting(NoteSignature::toString).containsExactly("EnochRoot+af0cfe78");
    }

    @Test
    void bothPublishedSignaturesVerify() throws Exception {
        VerifiedNote note = verifier(PETER_VKEY, ENOCH_VKEY).open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG));
        assertThat(note.verifiedBy()).extracting(VerifierKey::name).containsExactly("PeterNeumann", "EnochRoot");
        assertThat(note.unknownSignatures()).isEmpty();
    }

    @Test
    void noteWithoutTrustedSignatureIsRejected() {
        assertThatThrownBy(() -> verifier().open(utf8(TEXT + "\n" + PETER_SIG + ENOCH_SIG)))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("no signature from a trusted key");
    }

    @Test
    void tamperedTextIsRejected() {
        String note = TEXT.replace("cryptography", "cryptographY") + "\n" + PETER_SIG;
        assertThatThrownBy(() -> verifier(PETER_VKEY).open(utf8(note)))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("invalid signature for key PeterNeumann+c74f20a3");
    }

    @Test
    void invalidSignatureFromTrustedKeyRejectsNote() {
        // As in note_test.go: "ABCD" inserted into the base64 of the signature (byte offset 60).
        byte[] sig = utf8(PETER_SIG);
        String broken = new String(Arrays.copyOfRange(sig, 0, 60), StandardCharsets.UTF_8) + "ABCD"
                + new String(Arrays.copyOfRange(sig, 60, sig.length), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> verifier(PETER_VKEY).open(utf8(TEXT + "\n" + broken)))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("invalid signature");
        // Even when another trusted signature is fine.
        assertThatThrownBy(() -> verifier(PETER_VKEY, ENOCH_VKEY).open(utf8(TEXT + "\n" + ENOCH_SIG + broken)))
                .isInstanceOf(NoteVerificationException.class);
    }

    @Test
    void repeatedSignaturesAreReportedOnce() throws Exception {
        byte[] sig = utf8(ENOCH_SIG);
        String enochAbcd = new String(Arrays.copyOfRange(sig, 0, 60), StandardCharsets.UTF_8) + "ABCD"
                + new String(Arrays.copyOfRange(sig, 60, sig.length), StandardCharsets.UTF_8);
        VerifiedNote note = verifier(PETER_VKEY)
                .open(utf8(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG + enochAbcd));
        assertThat(note.verifiedBy()).hasSize(1);
        assertThat(note.unknownSignatures()).hasSize(2);
    }

    @Test
    void ambiguousTrustedKeysAreRejectedWhenUsed() throws Exception {
        VerifierKey enoch = VerifierKey.parse(ENOCH_VKEY);
        VerifierKey impostor = new VerifierKey(enoch.name(), enoch.keyId(), new byte[32]);
        NoteVerifier ambiguous = NoteVerifier.of(enoch, VerifierKey.parse(PETER_VKEY), impostor);
        assertThatThrownBy(() -> ambiguous.open(utf8(TEXT + "\n" + ENOCH_SIG)))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("ambiguous key EnochRoot+af0cfe78");
        assertThat(ambiguous.open(utf8(TEXT + "\n" + PETER_SIG)).verifiedBy()).hasSize(1);
        // Identical duplicates are merged, not ambiguous.
        assertThat(NoteVerifier.of(enoch, enoch).open(utf8(TEXT + "\n" + ENOCH_SIG)).verifiedBy()).containsExactly(enoch);
    }

    @Test
    void tooManySignaturesAreMalformed() {
        String many = TEXT + "\n" + PETER_SIG.repeat(101);
        assertThatThrownBy(() -> verifier(PETER_VKEY).open(utf8(many))).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> verifier().open(utf8(many))).isInstanceOf(MalformedNoteException.class);
    }

    @Test
    void malformedNotesAreRejected() {
        List<byte[]> bad = List.of(
                utf8(TEXT),
                utf8(TEXT + "\n"),
                utf8(TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1)),
                utf8("\u0001" + TEXT + "\n" + PETER_SIG),
                concat(new byte[] {(byte) 0xff}, utf8(TEXT + "\n" + PETER_SIG)),
                utf8(TEXT + "\n" + "\u2014 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM="),
                utf8(TEXT + "\n" + PETER_SIG + "Unexpected line.\n"),
                utf8(TEXT + "\n" + PETER_SIG.replace("\u2014", "-")),
                utf8(TEXT + "\n" + PETER_SIG.replace("x08go", "x08g!")),
                utf8(TEXT + "\n" + PETER_SIG.replace("AM=\n", "AM\n")),
                utf8(TEXT + "\n" + "\u2014 PeterNeumann AAAA\n"),
                utf8(TEXT + "\n" + "\u2014 Peter+Neumann " + PETER_SIG.substring(16)),
                utf8(TEXT.replace("\n", "\r\n") + "\n" + PETER_SIG));
        for (byte[] note : bad) {
            assertThatThrownBy(() -> verifier(PETER_VKEY).open(note)).as(new String(note, StandardCharsets.UTF_8))
                    .isInstanceOf(MalformedNoteException.class);
        }
    }

    @Test
    void specExampleParsesAndRoundTrips() throws Exception {
        SignedNote note = SignedNote.parse(utf8(SPEC_EXAMPLE));
        assertThat(note.text()).isEqualTo("Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n");
        assertThat(note.signatures()).singleElement().satisfies(s -> {
            assertThat(s.keyName()).isEqualTo("quasimodo.example/salvatore");
            assertThat(s.signature()).hasSize(64);
        });
        assertThat(note.encode()).isEqualTo(SPEC_EXAMPLE);
    }

    @Test
    void freshKeysSignCosignAndVerify() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        Ed25519NoteSigner log = new Ed25519NoteSigner("sovereign.local/audit", generator.generateKeyPair());
        Ed25519NoteSigner witness = new Ed25519NoteSigner("witness.example", generator.generateKeyPair());
        SignedNote note = SignedNote.sign("hello\n\nworld\n", log).withSignatures(witness, log);
        assertThat(note.signatures()).hasSize(2);
        SignedNote parsed = SignedNote.parse(note.toBytes());
        assertThat(parsed).isEqualTo(note);
        assertThat(parsed.text()).isEqualTo("hello\n\nworld\n");
        assertThat(NoteVerifier.of(log.verifierKey()).verify(parsed).verifiedBy()).containsExactly(log.verifierKey());
        assertThat(NoteVerifier.of(witness.verifierKey(), log.verifierKey()).verify(parsed).verifiedBy()).hasSize(2);
        assertThatThrownBy(() -> NoteVerifier.of(log.verifierKey()).verify(new SignedNote("hello\n", parsed.signatures())))
                .isInstanceOf(NoteVerificationException.class);
    }

    @Test
    void textThatCannotBeSignedIsRejected() throws Exception {
        Ed25519NoteSigner signer = peterSigner();
        assertThatThrownBy(() -> SignedNote.sign("abc", signer)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> SignedNote.sign("", signer)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> SignedNote.sign("tab\there\n", signer)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> new Ed25519NoteSigner("bad name", KeyPairGenerator.getInstance("Ed25519").generateKeyPair()))
                .isInstanceOf(InvalidVerifierKeyException.class);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
