package org.sovereign.app.ui.governance;

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
import org.sovereign.mesh.MemberGovernance;
import org.sovereign.mesh.governance.ProposalKind;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.store.LocalStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Governance screen's view-model without a window, on a real vault holding a real cooperative's records. */
class GovernanceViewModelTest {
    private static final String COOP = "coop-gov-screen";

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
    void withoutACooperativeItSaysSoInPlainWords() throws Exception {
        GovernanceViewModel vm = FxThread.call(() -> new GovernanceViewModel(session, workstation.dataDirectory().path(),
                BackgroundTasks.sameThread()));
        assertThat(vm.statusProperty().get()).isEqualTo(GovernanceViewModel.NOT_JOINED);
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.joinedProperty().get()).isFalse();
    }

    @Test
    void aMemberSeesTheCostOfItsVotesAsTheyChangeAndItsSignedVoteCounts() throws Exception {
        Path data = workstation.dataDirectory().path();
        LocalStore store = session.unlockedProperty().get();
        Genesis genesis = Genesis.create(RecordSigner.of(store.session()), COOP, "Bee keepers", List.of(), 1,
                System.currentTimeMillis());
        VaultRecordStore.open(store.session(), COOP).append(genesis.record());
        new JoinedCooperative(genesis, null).save(data);
        String proposal = MemberGovernance.open(data, store).orElseThrow().propose(ProposalKind.ADOPT_PACK,
                "sha256:" + "ab".repeat(32), "Adopt the bee-counting pack", List.of("yes", "no"), "packs",
                Duration.ofDays(7));

        GovernanceViewModel vm = FxThread.call(() -> new GovernanceViewModel(session, data, BackgroundTasks.sameThread()));

        assertThat(vm.statusProperty().get()).startsWith("Cooperative 'Bee keepers': 1 proposal. Each proposal gives "
                + "you 100 voice credits");
        assertThat(vm.rows()).singleElement().isEqualTo(new GovernanceViewModel.Row(proposal,
                "Adopt the bee-counting pack", "adopt-pack", "open", "so far: no votes"));
        FxThread.run(() -> vm.selectedProperty().set(vm.rows().get(0)));
        assertThat(vm.optionNames()).containsExactly("yes", "no");

        FxThread.run(() -> {
            vm.options().get(0).votes().set(6);
            vm.options().get(1).votes().set(-8);
        });
        assertThat(vm.costProperty().get()).isEqualTo("Cost: 100 of 100 voice credits; 0 left.");
        assertThat(vm.canVoteProperty().get()).isTrue();
        FxThread.run(() -> vm.options().get(1).votes().set(-9));
        assertThat(vm.costProperty().get()).isEqualTo("Cost: 117 of 100 voice credits; -17 left.");
        assertThat(vm.canVoteProperty().get()).as("over budget").isFalse();

        FxThread.run(() -> {
            vm.options().get(0).votes().set(3);
            vm.options().get(1).votes().set(0);
            vm.vote();
        });
        assertThat(vm.messageProperty().get()).startsWith("Your vote is signed and stored");
        assertThat(vm.rows()).singleElement().extracting(GovernanceViewModel.Row::result).isEqualTo("so far: yes 3, no 0");
        assertThat(MemberGovernance.open(data, store).orElseThrow().governance().tally(proposal).totals())
                .containsEntry("yes", 3L);
    }
}
