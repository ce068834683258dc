package org.sovereign.app.ui.mesh;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.witness.Witness;
import org.sovereign.store.LocalStore;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Mesh screen's view-model without a window, on real vaults. */
class MeshViewModelTest {
    private static final String COOP = "coop-screen";

    @TempDir
    Path home;
    private Workstation workstation;
    private VaultSessionState session;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    @Test
    void notJoinedSaysSoInPlainWordsAndShowsNoMembers() throws Exception {
        MeshViewModel vm = FxThread.call(() -> new MeshViewModel(session, workstation.dataDirectory().path(),
                BackgroundTasks.sameThread()));
        assertThat(vm.statusProperty().get()).isEqualTo(MeshViewModel.NOT_JOINED);
        assertThat(vm.joinedProperty().get()).isFalse();
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.warningProperty().get()).isEmpty();
    }

    @Test
    void aMemberSeesItsCooperativeTheLogsItHoldsAndWhoWitnessedItsAuditLog() throws Exception {
        Path data = workstation.dataDirectory().path();
        new MeshSettings(COOP, "127.0.0.1", 7811).save(data);
        LocalStore mine = session.unlockedProperty().get();
        MeshLog myLog = log(mine);
        Witness myWitness = new Witness(myLog, RecordSigner.of(mine.session()), mine.signer().keyName(),
                Clock.systemUTC());
        mine.audit().flush();
        myWitness.publish(mine.audit()).orElseThrow();
        Path peerHome = Files.createDirectories(home.resolve("peer"));
        String peerKey;
        try (LocalStore peer = LocalStore.create(peerHome, "peer passphrase".toCharArray(), TestKdf.FAST,
                Clock.systemUTC())) {
            MeshLog peerLog = log(peer);
            myLog.range(myLog.self(), 1, 100).forEach(peerLog::receive);
            new Witness(peerLog, RecordSigner.of(peer.session()), peer.signer().keyName(), Clock.systemUTC())
                    .witnessAll();
            peerLog.range(peerLog.self(), 1, 100).forEach(myLog::receive);
            peerKey = peerLog.self();
        }

        MeshViewModel vm = FxThread.call(() -> new MeshViewModel(session, data, BackgroundTasks.sameThread()));

        assertThat(vm.joinedProperty().get()).isTrue();
        assertThat(vm.statusProperty().get()).isEqualTo("Member of the cooperative 'coop-screen'. While the member "
                + "runs it listens on 127.0.0.1:7811 and contacts no known peer yet.");
        assertThat(vm.witnessesProperty().get()).startsWith("Your audit log's latest published checkpoint (")
                .endsWith(" entries) was witnessed by 1 member.");
        assertThat(vm.rows()).hasSize(2);
        assertThat(vm.rows().get(0).member()).isEqualTo(myLog.self().substring(0, 16));
        assertThat(vm.rows().get(0).notes()).isEqualTo("This workstation");
        assertThat(vm.rows().get(0).checkpoint()).endsWith("entries, witnessed by 1 member");
        assertThat(vm.rows().get(1)).isEqualTo(new MeshViewModel.Row(peerKey.substring(0, 16), "accepted (no genesis held)", "1", "none",
                ""));
        assertThat(vm.warningProperty().get()).isEmpty();
    }

    @Test
    void withTheCooperativesGenesisEachMembersStandingIsShown() throws Exception {
        Path data = workstation.dataDirectory().path();
        LocalStore mine = session.unlockedProperty().get();
        RecordSigner self = RecordSigner.of(mine.session());
        VaultRecordStore records = VaultRecordStore.open(mine.session(), COOP);
        Genesis genesis = Genesis.create(self, COOP, "Bee keepers", List.of(), 1, System.currentTimeMillis());
        records.append(genesis.record());
        new JoinedCooperative(genesis, null).save(data);
        new MeshSettings(COOP, "127.0.0.1", 7812).save(data);

        MeshViewModel vm = FxThread.call(() -> new MeshViewModel(session, data, BackgroundTasks.sameThread()));

        assertThat(vm.statusProperty().get()).startsWith("Member of the cooperative 'Bee keepers'.");
        assertThat(vm.rows()).singleElement().satisfies(row -> {
            assertThat(row.standing()).isEqualTo("steward");
            assertThat(row.notes()).isEqualTo("This workstation");
        });
    }

    private static MeshLog log(LocalStore store) {
        return new MeshLog(COOP, RecordSigner.of(store.session()), VaultRecordStore.open(store.session(), COOP),
                Clock.systemUTC());
    }
}
