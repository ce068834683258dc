package org.sovereign.store.audit.checkpoint;

import org.junit.jupiter.api.Test;
import org.sovereign.store.audit.merkle.InvalidProofException;
import org.sovereign.store.audit.merkle.MerkleHash;
import org.sovereign.store.audit.merkle.MerkleTree;
import org.sovereign.store.audit.note.Ed25519NoteSigner;
import org.sovereign.store.audit.note.InvalidVerifierKeyException;
import org.sovereign.store.audit.note.NoteVerificationException;
import org.sovereign.store.audit.note.NoteVerifier;
import org.sovereign.store.audit.note.SignedNote;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlogProofTest {
    private static final String ORIGIN = "sovereign.local/audit";

    // The example of C2SP tlog-proof.md; its signatures are elided ("[...]") in the spec.
    private static final String SPEC_PREFIX = "c2sp.org/tlog-proof@v1\n"
            + "extra YWdlLXYxLjIuMS1kYXJ3aW4tYXJtNjQudGFyLmd6kYXJ3aW4tYXJ\n"
            + "index 73894\n"
            + "gSKyXoYZUgZ6jduWYrkDOARinOMGJveXjgMkBTcdPlQ=\n"
            + "B95lDa8R83lS8n0eG+o0buTxRKQTYFi//1U8anccXmA=\n"
            + "EKNzoDWG8LGC0Yp9o+sv3qllpMP9uHQ9B20KNL+Q1zs=\n"
            + "RoopEkOdqkYqMB4MJXrbt/hMjOxsVn0IrWjpz1ZMMes=\n"
            + "AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=\n"
            + "\n";
    private static final String SPEC_CHECKPOINT_TEXT = "example.com/fancylog\n109482\nsFodV/vSp5O8n9a8QpW6PRY97tfOSW5bsc2Xl/EQi08=\n";
    private static final String SPEC_EXAMPLE = SPEC_PREFIX + SPEC_CHECKPOINT_TEXT + "\n"
            + "\u2014 example.com/fancylog hI2DJw[...]1roloI=\n"
            + "\u2014 witness1.example mJirIklj[...]qY9v2B/5bg==\n"
            + "\u2014 witness2.example TnKKVHLX[...]xwYwrSjgow==\n"
            + "\u2014 witness3.example S4X82uH5[...]3oEcROGLFQ==\n";

    private static byte[] entry(int i) {
        return ("audit event " + i).getBytes(StandardCharsets.UTF_8);
    }

    private record Log(MerkleTree tree, Ed25519NoteSigner signer, SignedNote checkpoint) {
        String verifierKey() throws InvalidVerifierKeyException {
            return signer.verifierKey().encode();
        }
    }

    private static Log log(int size) throws Exception {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < size; i++) {
            tree.appendEntry(entry(i));
        }
        Ed25519NoteSigner signer = CheckpointTest.newSigner(ORIGIN);
        SignedNote checkpoint = new Checkpoint(ORIGIN, size, tree.rootHash()).sign(signer);
        return new Log(tree, signer, checkpoint);
    }

    @Test
    void everyEntryOfALogHasAnOfflineVerifiableProof() throws Exception {
        Log log = log(37);
        for (int i = 0; i < 37; i++) {
            TlogProof proof = TlogProof.create(log.tree(), i, log.checkpoint(), null);
            byte[] file = proof.toBytes();
            assertThat(TlogProof.parse(file)).isEqualTo(proof);
            Checkpoint verified = OfflineProofVerifier.verifyEntry(file, entry(i), List.of(log.verifierKey()));
            assertThat(verified.origin()).isEqualTo(ORIGIN);
            assertThat(verified.size()).isEqualTo(37);
            int other = (i + 1) % 37;
            assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(file, entry(other), List.of(log.verifierKey())))
                    .isInstanceOf(InvalidProofException.class);
        }
    }

    @Test
    void writesTheFormatLiterally() throws Exception {
        Log log = log(3);
        TlogProof proof = TlogProof.create(log.tree(), 2, log.checkpoint(), "ctx".getBytes(StandardCharsets.UTF_8));
        String expected = "c2sp.org/tlog-proof@v1\n"
                + "extra Y3R4\n"
                + "index 2\n"
                + Base64.getEncoder().encodeToString(log.tree().rootHash(2)) + "\n"
                + "\n"
                + log.checkpoint().encode();
        assertThat(proof.encode()).isEqualTo(expected);
        assertThat(TlogProof.parse(expected).extra()).isEqualTo("ctx".getBytes(StandardCharsets.UTF_8));
        assertThat(TlogProof.parse(expected).verifyEntry(entry(2), NoteVerifier.of(log.signer().verifierKey())).size())
                .isEqualTo(3);
    }

    @Test
    void singleEntryLogHasAnEmptyInclusionProof() throws Exception {
        Log log = log(1);
        TlogProof proof = TlogProof.create(log.tree(), 0, log.checkpoint(), null);
        assertThat(proof.encode()).startsWith("c2sp.org/tlog-proof@v1\nindex 0\n\n" + ORIGIN + "\n1\n");
        assertThat(OfflineProofVerifier.verifyEntry(proof.toBytes(), entry(0), List.of(log.verifierKey())).size()).isEqualTo(1);
    }

    @Test
    void proofAgainstAnEarlierCheckpointStillVerifies() throws Exception {
        Log log = log(20);
        SignedNote older = new Checkpoint(ORIGIN, 11, log.tree().rootHash(11)).sign(log.signer());
        byte[] file = TlogProof.create(log.tree(), 10, older, null).toBytes();
        assertThat(OfflineProofVerifier.verifyEntry(file, entry(10), List.of(log.verifierKey())).size()).isEqualTo(11);
        assertThatThrownBy(() -> TlogProof.create(log.tree(), 11, older, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tamperingIsDetected() throws Exception {
        Log log = log(12);
        String file = TlogProof.create(log.tree(), 5, log.checkpoint(), null).encode();
        List<String> keys = List.of(log.verifierKey());
        String otherKey = CheckpointTest.newSigner(ORIGIN).verifierKey().encode();
        assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(bytes(file), entry(5), List.of(otherKey)))
                .isInstanceOf(NoteVerificationException.class);
        assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(bytes(file.replace("index 5", "index 4")), entry(5), keys))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(bytes(file.replace("\n12\n", "\n13\n")), entry(5), keys))
                .isInstanceOf(NoteVerificationException.class);
        String[] lines = file.split("\n", -1);
        List<String> mutated = new ArrayList<>(List.of(lines));
        byte[] hash = Base64.getDecoder().decode(lines[2]);
        hash[0] ^= 1;
        mutated.set(2, Base64.getEncoder().encodeToString(hash));
        assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(bytes(String.join("\n", mutated)), entry(5), keys))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> OfflineProofVerifier.verifyEntry(bytes(file), entry(5), List.of("not a key")))
                .isInstanceOf(InvalidVerifierKeyException.class);
    }

    @Test
    void specExampleStructureParsesWithRealSignatures() throws Exception {
        // The spec elides its signatures, so the verbatim example is (correctly) rejected...
        assertThatThrownBy(() -> TlogProof.parse(SPEC_EXAMPLE)).isInstanceOf(MalformedTlogProofException.class);
        // ...while the same proof with a real signature on the same checkpoint text parses field by field.
        SignedNote checkpoint = SignedNote.sign(SPEC_CHECKPOINT_TEXT, CheckpointTest.newSigner("example.com/fancylog"));
        TlogProof proof = TlogProof.parse(SPEC_PREFIX + checkpoint.encode());
        assertThat(proof.index()).isEqualTo(73894);
        assertThat(new String(proof.extra(), 0, 30, StandardCharsets.US_ASCII)).isEqualTo("age-v1.2.1-darwin-arm64.tar.gz");
        assertThat(proof.inclusionProof()).hasSize(5);
        assertThat(Base64.getEncoder().encodeToString(proof.inclusionProof().get(4)))
                .isEqualTo("AHCioX9nLjsrse6YhjRRmk1WUEirVOLLRoOQ6vfO5vk=");
        assertThat(Checkpoint.parse(proof.checkpoint().text()).size()).isEqualTo(109482);
        assertThat(proof.encode()).isEqualTo(SPEC_PREFIX + checkpoint.encode());
    }

    @Test
    void rejectsMalformedFiles() throws Exception {
        Log log = log(4);
        String cp = log.checkpoint().encode();
        String h = Base64.getEncoder().encodeToString(new byte[32]);
        List<String> bad = List.of(
                "",
                "c2sp.org/tlog-proof@v2\nindex 0\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex 01\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex -1\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex  1\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nextra !!\nindex 1\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex 1\n" + h.substring(4) + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex 1\n" + h + "\n" + h + "\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex 1\n" + h + "\n" + h + "\n\n",
                "c2sp.org/tlog-proof@v1\nindex 1\n" + h + "\n" + h,
                "c2sp.org/tlog-proof@v1\r\nindex 1\n" + h + "\n" + h + "\n\n" + cp,
                "c2sp.org/tlog-proof@v1\nindex 1\n" + h + "\n" + h + "\n\n" + cp.substring(0, cp.length() - 1));
        for (String file : bad) {
            assertThatThrownBy(() -> TlogProof.parse(file)).as(file).isInstanceOf(MalformedTlogProofException.class);
        }
        assertThatThrownBy(() -> TlogProof.parse(new byte[] {(byte) 0xc3}))
                .isInstanceOf(MalformedTlogProofException.class);
    }

    @Test
    void checkpointMustBeACheckpoint() throws Exception {
        Ed25519NoteSigner signer = CheckpointTest.newSigner(ORIGIN);
        String file = "c2sp.org/tlog-proof@v1\nindex 0\n\n" + SignedNote.sign("hello\n", signer).encode();
        assertThatThrownBy(() -> OfflineProofVerifier.verifyLeafHash(bytes(file), MerkleHash.leaf(new byte[0]),
                List.of(signer.verifierKey().encode()))).isInstanceOf(MalformedCheckpointException.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
