package org.sovereign.mesh.log;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.Policy;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for what a mesh peer sends (issue 15): log records and anti-entropy messages arrive from other
 * machines. Any input may only be read or refused with {@link MalformedRecordException}; a record that is read must be
 * its own canonical form (one record, one hash), and the governance tally over it must list it as used or refused,
 * never throw. The default test run replays the committed inputs under
 * {@code src/test/resources/org/sovereign/mesh/log/MeshInputsFuzzTestInputs/}; {@code docs/bench/fuzz.sh mesh} fuzzes.
 */
class MeshInputsFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void logRecord(byte[] data) {
        LogRecord record;
        try {
            record = LogRecord.parse(data);
        } catch (MalformedRecordException refused) {
            return;
        }
        assertThat(record.wire()).as("a record is read only from its canonical bytes").isEqualTo(data);
        Policy policy = new Policy(record.coop(), Set.of(record.author()), Set.of(record.author()), 1,
                Policy.DEFAULT_CREDITS);
        Governance.of(policy, List.of(record));
    }

    @FuzzTest(maxDuration = "60s")
    void syncMessage(byte[] data) {
        try {
            SyncMessage.decode(data);
        } catch (MalformedRecordException refused) {
            // refused with a reason
        }
    }
}
