package org.sovereign.mesh.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.TestKeys;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bundle format: what is written, and that the reader refuses every altered or cut-short bundle, saying why. */
class MeshBundleTest {

    static MeshLog member(int seed, int records) {
        MeshLog log = new MeshLog("coop-1", TestKeys.seeded(seed), new MemoryRecordStore(), Clock.systemUTC());
        for (int i = 0; i < records; i++) {
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("n", i));
        }
        return log;
    }

    private static MeshBundle read(byte[] bytes) {
        return MeshBundle.read(new ByteArrayInputStream(bytes));
    }

    private static String refusal(byte[] bytes) {
        try {
            read(bytes);
        } catch (BundleException e) {
            assertThat(e.reason()).isEqualTo(BundleException.Reason.INVALID);
            return e.getMessage();
        }
        throw new AssertionError("the bundle was accepted");
    }

    @Test
    void aBundleStartsWithItsMagicFormatAndSignedManifestAndReadsBackToTheSameRecords() {
        MeshLog a = member(1, 3);
        MeshLog b = member(2, 2);
        for (int seq = 1; seq <= 2; seq++) {
            a.receive(b.get(b.self(), seq).orElseThrow());
        }
        MeshBundle bundle = MeshBundle.export(a, TestKeys.seeded(1), null, 1_765_000_000_000L);
        byte[] bytes = bundle.bytes();

        assertThat(Arrays.copyOf(bytes, 9)).isEqualTo("SOVBUND\n\u0001".getBytes(StandardCharsets.US_ASCII));
        int manifestLength = ByteBuffer.wrap(bytes, 9, 4).getInt();
        String manifest = new String(bytes, 13, manifestLength, StandardCharsets.UTF_8);
        assertThat(manifest).startsWith("{\"chunks\":[],\"coop\":\"coop-1\",\"created\":1765000000000,\"exporter\":\""
                + a.self() + "\",\"format\":1,\"heads\":[").contains("\"since\":\"all\"", "\"count\":5")
                .endsWith(",\"type\":\"sovereign.mesh.bundle\"}");
        MeshBundle back = read(bytes);
        assertThat(back.records()).hasSize(5).containsAll(bundle.records());
        assertThat(back.manifest()).isEqualTo(bundle.manifest());
        assertThat(back.manifest().heads()).hasSize(2);
        assertThat(back.bytes()).isEqualTo(bytes);
    }

    @Test
    void everyCutShortBundleIsRefusedSayingItEndsEarly() {
        byte[] bytes = MeshBundle.export(member(1, 4), TestKeys.seeded(1), null, 0).bytes();
        for (int length = 0; length < bytes.length; length++) {
            String reason = refusal(Arrays.copyOf(bytes, length));
            assertThat(reason).as("cut at %d", length).containsAnyOf("ends", "not a mesh bundle", "cut short");
        }
        assertThat(refusal(Arrays.copyOf(bytes, bytes.length - 10)))
                .isEqualTo("The bundle ends early: it holds 3 of the 4 records its manifest lists (it was cut short, "
                        + "perhaps copied incompletely).");
    }

    @Test
    void everyFlippedBitIsRefusedWithWhatWasWrong() {
        byte[] bytes = MeshBundle.export(member(1, 2), TestKeys.seeded(1), null, 0).bytes();
        for (int i = 0; i < bytes.length; i++) {
            byte[] changed = bytes.clone();
            changed[i] ^= (byte) (1 << (i % 8));
            assertThat(refusal(changed)).as("byte %d", i).isNotBlank();
        }
        int manifestLength = ByteBuffer.wrap(bytes, 9, 4).getInt();
        byte[] record = bytes.clone();
        record[bytes.length - 20] ^= 1;
        assertThat(refusal(record)).isEqualTo("The bundle's records do not match its manifest (their SHA-256 differs): "
                + "they were altered after export.");
        byte[] signature = bytes.clone();
        signature[13 + manifestLength + 5] ^= 1;
        assertThat(refusal(signature)).startsWith("The bundle's signature does not match its manifest");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThat(refusal(longer)).isEqualTo("The bundle has bytes after its last record: it was altered after export.");
        assertThat(refusal("PK\u0003\u0004 a zip".getBytes(StandardCharsets.US_ASCII))).isEqualTo("The file is not a mesh bundle.");
    }

    @Test
    void aManifestSignedByAnotherKeyThanTheExporterItNamesIsRefused() {
        MeshLog a = member(1, 2);
        RecordSigner mallory = TestKeys.seeded(9);
        MeshBundle honest = MeshBundle.export(a, TestKeys.seeded(1), null, 0);
        byte[] bytes = honest.bytes();
        int manifestLength = ByteBuffer.wrap(bytes, 9, 4).getInt();
        byte[] manifest = Arrays.copyOfRange(bytes, 13, 13 + manifestLength);
        byte[] forged = mallory.sign(MeshBundle.signedBytes(manifest));
        System.arraycopy(forged, 0, bytes, 13 + manifestLength, 64);

        assertThat(refusal(bytes)).startsWith("The bundle's signature does not match its manifest");
    }

    @Test
    void aRecordWithABadSignatureIsRefusedEvenInsideAManifestItsExporterSigned() {
        MeshLog a = member(1, 1);
        LogRecord good = a.get(a.self(), 1).orElseThrow();
        // Mallory signs a manifest over a record whose signature she broke: the digest matches, the record does not.
        MeshLog mallory = new MeshLog("coop-1", TestKeys.seeded(9), new MemoryRecordStore(), Clock.systemUTC());
        byte[] wire = good.wire();
        String json = new String(wire, StandardCharsets.UTF_8);
        int sig = json.indexOf("\"sig\":\"") + 7;
        char c = json.charAt(sig);
        byte[] broken = (json.substring(0, sig) + (c == 'A' ? 'B' : 'A') + json.substring(sig + 1))
                .getBytes(StandardCharsets.UTF_8);
        byte[] section = ByteBuffer.allocate(4 + broken.length).putInt(broken.length).put(broken).array();
        BundleManifest manifest = new BundleManifest("coop-1", mallory.self(), 0, "all", java.util.List.of(),
                java.util.List.of(new BundleManifest.LogRange(a.self(), 1, 1, LogRecord.parse(broken).hash())), 1,
                section.length, org.sovereign.store.vault.crypto.Hex.encode(MeshBundle.sha256(section)));
        byte[] manifestBytes = manifest.canonical();
        byte[] signature = TestKeys.seeded(9).sign(MeshBundle.signedBytes(manifestBytes));
        ByteBuffer out = ByteBuffer.allocate(13 + manifestBytes.length + 64 + section.length);
        out.put(MeshBundle.MAGIC).put((byte) 1).putInt(manifestBytes.length).put(manifestBytes).put(signature).put(section);

        assertThat(refusal(out.array())).startsWith("Record 1 of the bundle (place 1 of member ")
                .endsWith(") has an invalid signature.");
    }

    @Test
    void aBundleWithPackChunksIsRefusedByThisVersionInsteadOfDroppingThem() {
        byte[] bytes = MeshBundle.export(member(1, 1), TestKeys.seeded(1), null, 0).bytes();
        int manifestLength = ByteBuffer.wrap(bytes, 9, 4).getInt();
        String manifest = new String(bytes, 13, manifestLength, StandardCharsets.UTF_8);
        byte[] withChunk = manifest.replace("\"chunks\":[]", "\"chunks\":[1]").getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> BundleManifest.parse(withChunk)).isInstanceOf(BundleException.class)
                .hasMessage("The bundle holds pack chunks, which this version cannot import yet.");
    }
}
