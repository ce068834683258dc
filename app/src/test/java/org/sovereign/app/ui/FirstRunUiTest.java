package org.sovereign.app.ui;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.AppContext;
import org.sovereign.app.config.DataDirectory;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.store.LocalStore;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The very first start: no vault yet, so the window asks for a passphrase and creates one. */
@ExtendWith(ApplicationExtension.class)
class FirstRunUiTest {

    @TempDir
    Path home;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        DataDirectory dir = DataDirectory.resolve(home).ensureExists();
        window = MainWindow.create(AppContext.create(dir, dir.logDirectory().resolve("sovereign.log"), MainWindowUiTest.FAST));
        window.show(stage);
    }

    @Test
    void createsTheVaultOnlyForAStrongEnoughMatchingPassphrase(FxRobot robot) throws Exception {
        Button create = robot.lookup("#create-vault").queryButton();
        assertThat(robot.lookup("#lost-passphrase-warning").queryAs(Label.class).getText()).contains("nobody can recover");
        assertThat(create.isDisabled()).isTrue();

        robot.clickOn("#new-passphrase").write("short");
        assertThat(robot.lookup("#strength-text").queryAs(Label.class).getText()).startsWith("Too weak");
        assertThat(create.isDisabled()).isTrue();

        robot.write(" but now much longer words");
        robot.clickOn("#confirm-passphrase").write("something else entirely");
        assertThat(robot.lookup("#create-problem").queryAs(Label.class).getText()).isEqualTo("The two passphrases differ.");
        assertThat(create.isDisabled()).isTrue();
        assertThat(LocalStore.exists(home)).isFalse();

        robot.interact(() -> robot.lookup("#confirm-passphrase").queryAs(javafx.scene.control.PasswordField.class).clear());
        robot.clickOn("#confirm-passphrase").write("short but now much longer words");
        assertThat(create.isDisabled()).isFalse();
        robot.clickOn("#create-vault");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#main-window").tryQuery().isPresent());
        assertThat(window.session().isUnlocked()).isTrue();
        assertThat(LocalStore.exists(home)).isTrue();
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
        assertThat(LocalStore.verifyAudit(home).size()).isEqualTo(1);
    }
}
