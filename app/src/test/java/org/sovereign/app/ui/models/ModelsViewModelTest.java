package org.sovereign.app.ui.models;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.store.audit.log.AuditTypes;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/** The Models screen's view-model over core's packs, without a window: installing the bundled pack and listing it. */
class ModelsViewModelTest {

    @TempDir
    Path home;
    private Workstation workstation;
    private VaultSessionState session;
    private ModelsViewModel vm;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        workstation = WindowFixture.withVault(WindowFixture.workstation(home));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
        vm = new ModelsViewModel(session, workstation.packs(), workstation.settings(), BackgroundTasks.sameThread(),
                new DialogService(() -> null, home.resolve("test.log")));
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
    }

    @Test
    void installingTheBundledPackListsItAsABundledEmbeddingPackWhoseFilesCheckOut() throws Exception {
        assumeThat(workstation.packs().installation().defaultPackName()).as("this build bundles the embedding pack").isPresent();
        FxThread.run(vm::refresh);
        assertThat(vm.rows()).as("nothing installed yet").isEmpty();
        assertThat(vm.defaultPendingProperty().get()).isTrue();

        FxThread.run(vm::installBundled);

        assertThat(vm.messageProperty().get()).startsWith("Installed all-minilm-l6-v2");
        assertThat(vm.loadingProperty().get()).isFalse();
        assertThat(vm.workingProperty().get()).as("busy is cleared").isFalse();
        assertThat(vm.defaultPendingProperty().get()).isFalse();
        assertThat(vm.rows()).singleElement().satisfies(row -> {
            assertThat(row.name()).isEqualTo("all-minilm-l6-v2");
            assertThat(row.kind()).isEqualTo("embedding");
            assertThat(row.trustWord()).isEqualTo("bundled");
            assertThat(row.licence()).isEqualTo("Apache-2.0");
            assertThat(row.files()).isEqualTo("files ok");
            assertThat(row.runs()).isEqualTo("not loaded");
        });
        var store = session.unlockedProperty().get();
        assertThat(store.audit().entries(0, store.audit().size())).extracting(e -> e.type())
                .contains(AuditTypes.PACK_INSTALLED);
    }
}
