package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.sovereign.store.vault.crypto.Hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogRecordTest {
    private static final RecordSigner ALICE = TestKeys.seeded(1);

    private static ObjectNode body(String text) {
        return JsonNodeFactory.instance.objectNode().put("text", text);
    }

    @Test
    void theWireFormIsCanonicalJsonWithSortedKeysAndTheSignatureCoversTheDomainAndTheRecordWithoutSig() {
        LogRecord record = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 1_765_000_000_000L, body("hello"));
        String author = Hex.encode(ALICE.publicKey());
        String wire = new String(record.wire(), StandardCharsets.UTF_8);
        String unsigned = "{\"author\":\"" + author + "\",\"body\":{\"text\":\"hello\"},\"coop\":\"coop-1\",\"prev\":null,"
                + "\"seq\":1,\"time\":1765000000000,\"type\":\"note\",\"v\":1}";

        assertThat(new String(record.signedBytes(), StandardCharsets.UTF_8))
                .isEqualTo("sovereign-mesh-record/v1\n" + unsigned);
        assertThat(wire).startsWith("{\"author\":\"" + author + "\",\"body\":{\"text\":\"hello\"},\"coop\":\"coop-1\","
                + "\"prev\":null,\"seq\":1,\"sig\":\"").endsWith("\",\"time\":1765000000000,\"type\":\"note\",\"v\":1}");
        assertThat(record.signatureValid()).isTrue();
        assertThat(record.hash()).isEqualTo(Hex.encode(LogRecord.sha256(record.wire())));
        assertThat(LogRecord.parse(record.wire())).isEqualTo(record);
    }

    /** A peer may send an author key that is not a point on the curve: the record is refused, nothing throws. */
    @Test
    void anAuthorKeyThatIsNoCurvePointMakesTheSignatureInvalidInsteadOfThrowing() {
        String wire = "{\"author\":\"" + "ab".repeat(32) + "\",\"body\":{\"text\":\"hello\"},\"coop\":\"coop-1\","
                + "\"prev\":null,\"seq\":1,\"sig\":\"" + Base64.getEncoder().encodeToString(new byte[64])
                + "\",\"time\":1765000000000,\"type\":\"note\",\"v\":1}";
        LogRecord record = LogRecord.parse(wire.getBytes(StandardCharsets.UTF_8));

        assertThat(record.signatureValid()).isFalse();
    }

    @Test
    void theSignedBytesCutFromTheWireFormEqualThoseBuiltFromTheFieldsEvenWithSigInTheBody() {
        ObjectNode tricky = body("x");
        tricky.put("sig", "not the signature");
        tricky.putObject("nested").put("a", 1).put("sig", ",\"sig\":\"");
        LogRecord record = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 5, tricky);
        LogRecord read = LogRecord.parse(record.wire());

        assertThat(read.signedBytes()).isEqualTo(read.signedBytesFromFields());
        assertThat(read.signatureValid()).isTrue();
    }

    /** The accessors that skip the whole-body copy still leave the record as it was signed. */
    @Test
    void readingOneBodyMemberNeverChangesTheRecord() {
        ObjectNode body = body("hello");
        body.putObject("nested").put("a", 1);
        LogRecord record = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body);
        byte[] wire = record.wire();

        assertThat(record.bodyField("text").asText()).isEqualTo("hello");
        assertThat(record.bodyField("missing")).isNull();
        ((ObjectNode) record.bodyField("nested")).put("a", 2).put("b", 3);
        assertThat(record.bodyField("nested").get("a").asInt()).isEqualTo(1);
        assertThat(record.body().get("nested").size()).isEqualTo(1);
        assertThat(record.wire()).isEqualTo(wire);
        assertThat(record.bodyFieldsAre(java.util.Set.of("text", "nested"))).isTrue();
        assertThat(record.bodyFieldsAre(java.util.Set.of("text"))).isFalse();
        assertThat(record.bodyFieldsAre(java.util.Set.of("text", "other"))).isFalse();
    }

    @Test
    void eachRecordNamesTheHashOfThePreviousOne() {
        LogRecord first = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body("a"));
        LogRecord second = LogRecord.sign(ALICE, "coop-1", 2, first.hash(), "note", 1, 0, body("b"));

        assertThat(LogRecord.parse(second.wire()).prev()).isEqualTo(first.hash());
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop-1", 2, null, "note", 1, 0, body("b")))
                .hasMessage("Record 2 does not name its previous record.");
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop-1", 1, first.hash(), "note", 1, 0, body("b")))
                .hasMessage("The first record of a log has no previous record.");
    }

    @Test
    void aChangedFieldOrSignatureNoLongerVerifies() {
        LogRecord record = LogRecord.sign(ALICE, "coop-1", 1, null, "vote", 1, 0, body("yes"));
        byte[] sig = record.signature();

        String otherCoop = new String(record.wire(), StandardCharsets.UTF_8).replace("coop-1", "coop-2");
        String otherType = new String(record.wire(), StandardCharsets.UTF_8).replace("\"vote\"", "\"void\"");
        assertThat(LogRecord.parse(otherCoop.getBytes(StandardCharsets.UTF_8)).signatureValid()).isFalse();
        assertThat(LogRecord.parse(otherType.getBytes(StandardCharsets.UTF_8)).signatureValid()).isFalse();
        sig[10] ^= 1;
        assertThat(record.withSignature(sig).signatureValid()).isFalse();
        assertThat(LogRecord.parse(record.wire()).signatureValid()).isTrue();
    }

    @Test
    void onlyTheExactCanonicalFormWithEveryFieldIsRead() {
        LogRecord record = LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body("x"));
        String wire = new String(record.wire(), StandardCharsets.UTF_8);

        assertThatThrownBy(() -> LogRecord.parse(wire.replace(",", ", ").getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("canonical");
        assertThatThrownBy(() -> LogRecord.parse(wire.replace("\"v\":1}", "\"v\":1,\"x\":2}")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("fields");
        assertThatThrownBy(() -> LogRecord.parse(wire.replace("\"seq\":1", "\"seq\":0")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("sequence number");
        assertThatThrownBy(() -> LogRecord.parse(wire.replace("\"seq\":1", "\"seq\":\"1\"")
                .getBytes(StandardCharsets.UTF_8))).hasMessageContaining("'seq' is not a whole number");
        assertThatThrownBy(() -> LogRecord.parse("[1]".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The record is not a JSON object.");
        assertThatThrownBy(() -> LogRecord.parse("{".getBytes(StandardCharsets.UTF_8)))
                .hasMessage("The record is not JSON.");
    }

    @Test
    void aRecordLargerThanTheLimitIsNeitherWrittenNorRead() {
        char[] big = new char[LogRecord.MAX_BYTES];
        Arrays.fill(big, 'a');
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop-1", 1, null, "note", 1, 0, body(new String(big))))
                .isInstanceOf(MalformedRecordException.class).hasMessageContaining("at most 65536");
        assertThatThrownBy(() -> LogRecord.parse(new byte[LogRecord.MAX_BYTES + 1]))
                .hasMessageContaining("at most 65536");
    }

    @Test
    void typesAndCooperativeIdsAreShortPlainNames() {
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop 1", 1, null, "note", 1, 0, body("x")))
                .hasMessageContaining("cooperative id");
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop-1", 1, null, "Note", 1, 0, body("x")))
                .hasMessageContaining("record type");
        assertThatThrownBy(() -> LogRecord.sign(ALICE, "coop-1", 1, null, "note", 0, 0, body("x")))
                .hasMessageContaining("version");
    }
}
