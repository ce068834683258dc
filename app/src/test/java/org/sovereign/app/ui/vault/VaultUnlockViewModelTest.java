package org.sovereign.app.ui.vault;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.Workstation;
import org.sovereign.core.store.StoreService;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The unlock screen's view-model without a window. */
class VaultUnlockViewModelTest {

    @TempDir
    Path home;

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @Test
    void theScreenPreparesTheFirstUnlockInTheBackgroundWhileThePassphraseIsTyped() throws Exception {
        Workstation workstation = WindowFixture.withVault(WindowFixture.workstation(home.resolve("data")));
        List<Runnable> queued = new CopyOnWriteArrayList<>();
        VaultSessionState session = FxThread.call(() -> new VaultSessionState(workstation));

        FxThread.call(() -> new VaultUnlockViewModel(workstation.store(), new BackgroundTasks(queued::add), session));

        assertThat(queued).as("a background warm-up starts with the screen, before any passphrase").hasSize(1);
        queued.forEach(Runnable::run);
        assertThat(StoreService.warmedUp()).isTrue();
        assertThat(session.isUnlocked()).isFalse();
    }
}
