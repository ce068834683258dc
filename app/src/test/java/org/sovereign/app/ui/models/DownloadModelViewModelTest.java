package org.sovereign.app.ui.models;

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
import org.sovereign.core.packs.PackFetch;
import org.sovereign.core.packs.PackSummary;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.testing.FakeHub;

import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * The "Download a model" view-model without a window, against a hub on 127.0.0.1: nothing is contacted until the
 * person allows the consent whose notice is shown; then the variants are listed and the chosen one installed.
 */
class DownloadModelViewModelTest {

    @TempDir
    Path home;
    private Workstation workstation;
    private VaultSessionState session;
    private FakeHub hub;
    private DownloadModelViewModel vm;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        workstation = WindowFixture.withVault(WindowFixture.workstation(home));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        hub = new FakeHub(TINY_LLAMA.resolveSibling("hf-repos").resolve("llama"), "test-org/tiny-llama");
        vm = new DownloadModelViewModel(session, ws -> new PackFetch(workstation.dataDirectory().path(),
                workstation.packs(), ws, Clock.systemUTC()), BackgroundTasks.sameThread(), hub.url());
    }

    @AfterEach
    void tearDown() throws Exception {
        hub.close();
        FxThread.run(session::lock);
    }

    @Test
    void theConsentIsShownAndGivenOnlyOnAllowThenTheChosenVariantIsInstalled() throws Exception {
        FxThread.run(() -> {
            vm.repoProperty().set("test-org/tiny-llama");
            vm.look();
        });

        assertThat(vm.stageProperty().get()).isEqualTo(DownloadModelViewModel.Stage.CONSENT);
        assertThat(vm.consentNoticeProperty().get()).startsWith("You allow this workstation to contact 127.0.0.1 over "
                + "the network for the purpose of pack-fetch");
        assertThat(hub.requests()).isEmpty();

        FxThread.run(vm::allow);

        // the hub's host was allowed; the first large file then goes to the CDN host, which asks once more
        assertThat(vm.stageProperty().get()).isEqualTo(DownloadModelViewModel.Stage.CHOOSING);
        assertThat(vm.variants()).extracting(ModelVariant::key).containsExactly("fp32", "fp16", "int8", "q4", "q4f16");
        FxThread.run(() -> {
            vm.chosenProperty().set(vm.variants().get(2));
            vm.download();
        });
        assertThat(vm.stageProperty().get()).isEqualTo(DownloadModelViewModel.Stage.CONSENT);
        assertThat(vm.consentNoticeProperty().get()).contains("127.0.0.1, localhost over the network");
        assertThat(hub.requests()).noneMatch(q -> q.startsWith(FakeHub.CDN_HOST + ":"));

        FxThread.run(vm::allow);

        assertThat(vm.stageProperty().get()).as(vm.messageProperty().get()).isEqualTo(DownloadModelViewModel.Stage.DONE);
        assertThat(vm.messageProperty().get()).startsWith("Installed tiny-llama-int8-");
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(workstation.packs().catalog().list()).extracting(PackSummary::name).contains("tiny-llama-int8");
    }

    @Test
    void aRepositoryNameThatIsNoneIsSaidPlainly() throws Exception {
        FxThread.run(() -> {
            vm.repoProperty().set("just-a-name");
            vm.look();
        });
        assertThat(vm.messageProperty().get()).startsWith("'just-a-name' is not a repository name");
        assertThat(vm.stageProperty().get()).isEqualTo(DownloadModelViewModel.Stage.START);
        // the dialog's content binds to this state without a window
        FxThread.run(() -> new DownloadModelView(vm));
    }
}
