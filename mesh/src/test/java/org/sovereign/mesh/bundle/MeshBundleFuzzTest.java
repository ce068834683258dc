package org.sovereign.mesh.bundle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.TestKeys;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz target for the USB bundle reader (issue 15): a bundle comes from a stick anyone may have handled. Any input may
 * only be read or refused with {@link BundleException}; a bundle that reads is exactly its own encoding (one bundle,
 * one set of bytes), every record in it is validly signed and in its place, and applying it to a member's logs never
 * throws. The default test run replays the committed inputs under
 * {@code src/test/resources/org/sovereign/mesh/bundle/MeshBundleFuzzTestInputs/bundle/} (valid bundles written by
 * {@link MeshBundleSeeds}); {@code docs/bench/fuzz.sh bundle} fuzzes.
 */
class MeshBundleFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void bundle(byte[] data) {
        MeshBundle bundle;
        try {
            bundle = MeshBundle.read(new ByteArrayInputStream(data));
        } catch (BundleException refused) {
            return;
        }
        assertThat(bundle.bytes()).as("a bundle is read only from its own bytes").isEqualTo(data);
        assertThat(bundle.records()).hasSize(bundle.manifest().recordCount()).allMatch(LogRecord::signatureValid);
        MeshLog log = new MeshLog(bundle.manifest().coop(), TestKeys.seeded(3), new MemoryRecordStore(), Clock.systemUTC());
        BundleImport.apply(log, bundle);
        assertThat(BundleImport.apply(log, bundle).count(org.sovereign.mesh.log.Receipt.APPENDED)).isZero();
    }

    @Test
    void theCommittedSeedsAreTheValidBundlesTheGeneratorWrites() throws Exception {
        Path folder = Path.of("src/test/resources/org/sovereign/mesh/bundle/MeshBundleFuzzTestInputs/bundle");
        for (Map.Entry<String, byte[]> seed : MeshBundleSeeds.seeds().entrySet()) {
            assertThat(Files.readAllBytes(folder.resolve(seed.getKey()))).as(seed.getKey()).isEqualTo(seed.getValue());
            assertThat(MeshBundle.read(new ByteArrayInputStream(seed.getValue())).records()).isNotNull();
        }
    }
}
