package org.sovereign.mesh.log;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.vault.Vault;
import org.sovereign.store.vault.VaultSession;
import org.sovereign.testing.TestKdf;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The heads a member announces over the network are remembered under its key, in the vault, for USB bundles. */
class PeerHeadsTest {

    @Test
    void headsAnnouncedByAMemberAreKeptInTheVaultUnderItsKeyAndOnlyWhenTheyChange(@TempDir Path dir) {
        Path file = dir.resolve("vault.db");
        LogSync peer = new LogSync(new MeshLog("coop-1", TestKeys.seeded(2), new MemoryRecordStore(), Clock.systemUTC()));
        peer.log().append("note", 1, JsonNodeFactory.instance.objectNode().put("n", 1));
        String key = peer.log().self();
        try (Vault vault = Vault.create(file, "correct horse".toCharArray(), TestKdf.FAST);
             VaultSession session = vault.unlock("correct horse".toCharArray())) {
            LogSync sync = new LogSync(new MeshLog("coop-1", RecordSigner.of(session),
                    VaultRecordStore.open(session, "coop-1"), Clock.systemUTC()));
            sync.handle("not-a-key", peer.heads());
            assertThat(sync.log().peerHeads()).isEmpty();

            sync.handle(key, peer.heads());
            sync.handle(key, peer.heads());
            peer.log().append("note", 1, JsonNodeFactory.instance.objectNode().put("n", 2));
            sync.handle(key, peer.heads());

            assertThat(sync.log().peerHeads()).containsOnlyKeys(key);
            long items = session.scopes().stream().filter(s -> s.kind().equals(VaultRecordStore.SCOPE_KIND))
                    .mapToLong(s -> session.items(s.id()).stream()
                            .filter(i -> i.kind().equals(VaultRecordStore.PEER_HEADS_KIND)).count()).sum();
            assertThat(items).as("the latest heads only").isOne();
        }
        try (Vault vault = Vault.open(file); VaultSession session = vault.unlock("correct horse".toCharArray())) {
            MeshLog log = new MeshLog("coop-1", RecordSigner.of(session), VaultRecordStore.open(session, "coop-1"),
                    Clock.systemUTC());
            assertThat(log.peerHeads().get(key)).isEqualTo(List.copyOf(peer.log().heads().values()));
        }
    }
}
