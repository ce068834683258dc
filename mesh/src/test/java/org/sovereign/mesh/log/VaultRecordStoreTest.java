package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.testing.TestKdf;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

class VaultRecordStoreTest {

    @Test
    void logsAndEvidenceOutliveTheSessionAndOwnRecordsAreSignedWithTheDeviceKey(@TempDir Path dir) {
        Path file = dir.resolve("vault.db");
        RecordSigner mallory = TestKeys.seeded(7);
        LogRecord yes = LogRecord.sign(mallory, "coop-1", 1, null, "vote", 1, 0,
                JsonNodeFactory.instance.objectNode().put("choice", "yes"));
        LogRecord no = LogRecord.sign(mallory, "coop-1", 1, null, "vote", 1, 0,
                JsonNodeFactory.instance.objectNode().put("choice", "no"));
        String self;
        try (Vault vault = Vault.create(file, "correct horse".toCharArray(), TestKdf.FAST);
             VaultSession session = vault.unlock("correct horse".toCharArray())) {
            MeshLog log = new MeshLog("coop-1", RecordSigner.of(session), VaultRecordStore.open(session, "coop-1"), Clock.systemUTC());
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("n", 1));
            log.append("note", 1, JsonNodeFactory.instance.objectNode().put("n", 2));
            log.receive(yes);
            log.receive(no);
            self = log.self();
            assertThat(session.deviceIdentity().verify(log.get(self, 1).orElseThrow().signedBytes(),
                    log.get(self, 1).orElseThrow().signature())).isTrue();
        }
        try (Vault vault = Vault.open(file); VaultSession session = vault.unlock("correct horse".toCharArray())) {
            MeshLog log = new MeshLog("coop-1", RecordSigner.of(session), VaultRecordStore.open(session, "coop-1"), Clock.systemUTC());
            assertThat(log.heads().get(self).seq()).isEqualTo(2);
            assertThat(log.frozen().get(yes.author()).conflicting()).isEqualTo(no);
            assertThat(log.append("note", 1, JsonNodeFactory.instance.objectNode()).seq()).isEqualTo(3);
            MeshLog other = new MeshLog("coop-2", RecordSigner.of(session), VaultRecordStore.open(session, "coop-2"),
                    Clock.systemUTC());
            assertThat(other.heads()).isEmpty();
            assertThat(other.append("note", 1, JsonNodeFactory.instance.objectNode()).seq()).isEqualTo(1);
        }
    }
}
