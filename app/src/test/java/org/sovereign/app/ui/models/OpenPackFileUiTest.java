package org.sovereign.app.ui.models;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.testing.Fixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * Opening a {@code .mpack} from the file manager (the installer's file association runs {@code sovereign FILE}): the
 * window asks for the passphrase, then shows the Models screen with the pack verified and the trust question, and
 * installs nothing by itself.
 */
@ExtendWith(ApplicationExtension.class)
class OpenPackFileUiTest {

    @TempDir
    static Path dataRoot;

    private Path home;
    private Path mpack;
    private Workstation context;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        context = WindowFixture.withVault(WindowFixture.workstation(home));
        context.packs().installation().installDefault(WindowFixture.PASSPHRASE::toCharArray, Progress.NONE);
        mpack = Files.createDirectories(home.resolve("downloads")).resolve("tiny-llama.mpack");
        context.packs().importer().importFolder(Fixtures.TINY_LLAMA, mpack, "tiny-llama", "1.0.0", "Apache-2.0", null);
        window = WindowFixture.show(context, stage);
    }

    @Test
    void aPackOpenedBeforeUnlockingIsVerifiedOnTheModelsScreenAfterUnlockAndNotInstalledUnasked(FxRobot robot)
            throws Exception {
        FxThread.run(() -> window.importPackWhenUnlocked(mpack));
        assertThat(robot.lookup("#models-view").tryQuery()).as("nothing opens before the vault is unlocked").isEmpty();

        WindowFixture.unlock(robot);

        waitUntil(() -> robot.lookup("#models-view").tryQuery().isPresent());
        ModelsViewModel vm = robot.lookup("#models-view").queryAs(ModelsView.class).viewModel();
        waitUntil(() -> vm.importStageProperty().get() == ModelsViewModel.ImportStage.VERDICT);
        assertThat(vm.importSourceProperty().get()).isEqualTo(mpack.toString());
        assertThat(vm.importTrustedProperty().get()).as("an unsigned pack is not trusted by itself").isFalse();
        assertThat(vm.importInstallableProperty().get()).isTrue();
        assertThat(context.packs().catalog().list()).extracting(p -> p.name()).doesNotContain("tiny-llama");
    }
}
