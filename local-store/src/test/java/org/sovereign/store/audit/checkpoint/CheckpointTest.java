package org.sovereign.store.audit.checkpoint;

import org.junit.jupiter.api.Test;
import org.sovereign.store.audit.merkle.InvalidProofException;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.note.Ed25519NoteSigner;
import org.sovereign.store.audit.note.MalformedNoteException;
import org.sovereign.store.audit.note.NoteVerificationException;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CheckpointTest {
    // The example of C2SP tlog-checkpoint.md (its public key is not published).
    static final String SPEC_TEXT = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    static final String SPEC_NOTE = SPEC_TEXT + "\n\u2014 example.com/behind-the-sofa "
            + "Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    static Ed25519NoteSigner newSigner(String name) throws Exception {
        return new Ed25519NoteSigner(name, KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
    }

    @Test
    void specExampleParses() throws Exception {
        SignedNote note = SignedNote.parse(SPEC_NOTE.getBytes(StandardCharsets.UTF_8));
        Checkpoint checkpoint = Checkpoint.parse(note.text());
        assertThat(checkpoint.origin()).isEqualTo("example.com/behind-the-sofa");
        assertThat(checkpoint.size()).isEqualTo(20852163L);
        assertThat(Base64.getEncoder().encodeToString(checkpoint.rootHash()))
                .isEqualTo("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=");
        assertThat(checkpoint.extensions()).isEmpty();
        assertThat(checkpoint.toText()).isEqualTo(SPEC_TEXT);
        assertThat(note.signatures().get(0).keyName()).isEqualTo(checkpoint.origin());
    }

    @Test
    void producesTheExactBodyAndRoundTripsExtensions() throws Exception {
        Checkpoint empty = new Checkpoint("sovereign.local/audit", 0, MerkleHash.emptyRoot());
        assertThat(empty.toText()).isEqualTo("sovereign.local/audit\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n");
        Checkpoint withExtensions = new Checkpoint("o", 42, MerkleHash.emptyRoot(), List.of("ext one", "ext-two"));
        assertThat(withExtensions.toText()).endsWith("\next one\next-two\n");
        assertThat(Checkpoint.parse(withExtensions.toText())).isEqualTo(withExtensions);
        assertThat(Checkpoint.parse(empty.toText())).isEqualTo(empty);
    }

    @Test
    void rejectsMalformedBodies() {
        String root = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
        List<String> bad = List.of(
                "example.com/log\n5\n" + root,
                "example.com/log\n5\n",
                "example.com/log\n5\n" + root + "\n\n",
                "example.com/log\n05\n" + root + "\n",
                "example.com/log\n+5\n" + root + "\n",
                "example.com/log\n-1\n" + root + "\n",
                "example.com/log\n 5\n" + root + "\n",
                "example.com/log\n99999999999999999999\n" + root + "\n",
                "example.com/log\n5\n" + root.replace("=", "") + "\n",
                "example.com/log\n5\n" + Base64.getEncoder().encodeToString(new byte[31]) + "\n",
                "example.com/log\n5\n" + root + "\n\nextension\n",
                "\n5\n" + root + "\n",
                "example.com/log\r\n5\n" + root + "\n");
        for (String text : bad) {
            assertThatThrownBy(() -> Checkpoint.parse(text)).as(text).isInstanceOf(MalformedCheckpointException.class);
        }
    }

    @Test
    void signsAndOpensWithTheLogKeyOnly() throws Exception {
        Ed25519NoteSigner log = newSigner("sovereign.local/audit");
        Checkpoint checkpoint = new Checkpoint("sovereign.local/audit", 7, MerkleHash.leaf(new byte[] {1}));
        byte[] note = checkpoint.sign(log).toBytes();
        assertThat(Checkpoint.open(note, NoteVerifier.of(log.verifierKey()))).isEqualTo(checkpoint);
        NoteVerifier other = NoteVerifier.of(newSigner("sovereign.local/audit").verifierKey());
        assertThatThrownBy(() -> Checkpoint.open(note, other)).isInstanceOf(NoteVerificationException.class);
        String tampered = new String(note, StandardCharsets.UTF_8).replaceFirst("\n7\n", "\n8\n");
        assertThatThrownBy(() -> Checkpoint.open(tampered.getBytes(StandardCharsets.UTF_8), NoteVerifier.of(log.verifierKey())))
                .isInstanceOf(NoteVerificationException.class);
    }

    @Test
    void aSignedNoteThatIsNotACheckpointIsRejected() throws Exception {
        Ed25519NoteSigner log = newSigner("log");
        byte[] note = SignedNote.sign("just some text\n", log).toBytes();
        assertThatThrownBy(() -> Checkpoint.open(note, NoteVerifier.of(log.verifierKey())))
                .isInstanceOf(MalformedCheckpointException.class);
        assertThatThrownBy(() -> Checkpoint.open("no signatures\n".getBytes(StandardCharsets.UTF_8), NoteVerifier.of(log.verifierKey())))
                .isInstanceOf(MalformedNoteException.class);
    }

    @Test
    void laterCheckpointsOfTheSameLogAreConsistent() throws Exception {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 30; i++) {
            tree.appendEntry(new byte[] {(byte) i});
        }
        Checkpoint older = new Checkpoint("log", 13, tree.rootHash(13));
        Checkpoint newer = new Checkpoint("log", 30, tree.rootHash(30));
        older.verifyConsistentWith(newer, tree.consistencyProof(13, 30));
        Checkpoint forked = new Checkpoint("log", 30, MerkleHash.leaf(new byte[] {9}));
        assertThatThrownBy(() -> older.verifyConsistentWith(forked, tree.consistencyProof(13, 30)))
                .isInstanceOf(InvalidProofException.class);
        Checkpoint otherLog = new Checkpoint("other", 30, tree.rootHash(30));
        assertThatThrownBy(() -> older.verifyConsistentWith(otherLog, tree.consistencyProof(13, 30)))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("different logs");
        assertThatThrownBy(() -> newer.verifyConsistentWith(older, List.of()))
                .isInstanceOf(InvalidProofException.class);
    }

    @Test
    void constructorRejectsUnwritableFields() {
        byte[] root = MerkleHash.emptyRoot();
        assertThatThrownBy(() -> new Checkpoint("", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a\nb", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a", -1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a", 1, new byte[31])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a", 1, root, List.of(""))).isInstanceOf(IllegalArgumentException.class);
    }
}
