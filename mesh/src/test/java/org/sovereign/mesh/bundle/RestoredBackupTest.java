package org.sovereign.mesh.bundle;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.mesh.log.LogBehindException;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.Receipt;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.TestKeys;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultBackup;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.testing.TestKdf;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fault test 8 of issue 11: a member's vault restored from a backup holds less of its own log than its peers do. After
 * importing a bundle from a peer it knows it is behind its own published head and refuses to write (so it never signs
 * a second record at a place already used), also after the vault is closed and opened again; a bundle holding its
 * missing records lets it write again, at the next free place.
 */
class RestoredBackupTest {
    private static final String PASS = "correct horse battery staple";

    @TempDir
    Path tmp;

    private static MeshLog log(VaultSession session) {
        return new MeshLog("coop-1", RecordSigner.of(session), VaultRecordStore.open(session, "coop-1"), Clock.systemUTC());
    }

    private static MeshBundle carried(MeshLog from, RecordSigner key, String peer) {
        return MeshBundle.read(new ByteArrayInputStream(MeshBundle.export(from, key, peer, 0).bytes()));
    }

    private static void note(MeshLog log, int n) {
        log.append("note", 1, JsonNodeFactory.instance.objectNode().put("n", n));
    }

    @Test
    void aRestoredMemberLearnsFromABundleThatItIsBehindItsOwnLogAndWritesOnlyAfterCatchingUp() {
        Path file = tmp.resolve("vault.db");
        Path backup = tmp.resolve("vault.backup");
        Path restored = tmp.resolve("restored.db");
        MeshLog peer = new MeshLog("coop-1", TestKeys.seeded(2), new MemoryRecordStore(), Clock.systemUTC());
        note(peer, 1);
        String self;
        try (Vault vault = Vault.create(file, PASS.toCharArray(), TestKdf.FAST);
             VaultSession session = vault.unlock(PASS.toCharArray())) {
            MeshLog a = log(session);
            self = a.self();
            for (int n = 1; n <= 3; n++) {
                note(a, n);
            }
            session.backupTo(backup);
            note(a, 4);
            note(a, 5);
            // The peer gets all five records of A (and remembers A's heads from the bundle's manifest).
            assertThat(BundleImport.apply(peer, carried(a, RecordSigner.of(session), null)).count(Receipt.APPENDED))
                    .isEqualTo(5);
        }
        assertThat(peer.peerHeads().get(self)).singleElement().satisfies(h -> assertThat(h.seq()).isEqualTo(5));

        VaultBackup.restore(backup, PASS.toCharArray(), restored);
        try (Vault vault = Vault.open(restored); VaultSession session = vault.unlock(PASS.toCharArray())) {
            MeshLog a = log(session);
            assertThat(a.heads().get(self).seq()).isEqualTo(3);
            // What the peer knows A lacks: only the peer's own record; its manifest says the peer holds A up to 5.
            MeshBundle forA = carried(peer, TestKeys.seeded(2), self);
            assertThat(forA.records()).hasSize(1);
            BundleImport result = BundleImport.apply(a, forA);

            assertThat(result.behindOwnPublishedHead()).isTrue();
            assertThat(result.ownHeld()).isEqualTo(3);
            assertThat(result.ownPublished()).isEqualTo(5);
            assertThatThrownBy(() -> note(a, 4)).isInstanceOf(LogBehindException.class)
                    .hasMessageContaining("Peers hold this member's log up to record 5, but this device has only 3");
        }
        try (Vault vault = Vault.open(restored); VaultSession session = vault.unlock(PASS.toCharArray())) {
            MeshLog a = log(session);
            assertThat(a.behindOwnPublishedHead()).as("remembered across a restart").isTrue();
            assertThatThrownBy(() -> note(a, 4)).isInstanceOf(LogBehindException.class);
            assertThat(a.heads().get(self).seq()).isEqualTo(3);

            assertThat(BundleImport.apply(a, carried(peer, TestKeys.seeded(2), null)).count(Receipt.APPENDED))
                    .isEqualTo(2);
            assertThat(a.behindOwnPublishedHead()).isFalse();
            note(a, 6);
            LogRecord sixth = a.get(self, 6).orElseThrow();
            assertThat(peer.receive(sixth)).isEqualTo(Receipt.APPENDED);
            assertThat(peer.frozen()).isEmpty();
        }
    }
}
