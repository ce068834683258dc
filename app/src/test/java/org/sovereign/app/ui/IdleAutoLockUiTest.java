package org.sovereign.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.Workstation;
import org.sovereign.core.settings.AppSettings;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The idle auto-lock on the real window: a fake clock stands in for the minutes (the window checks it every second),
 * so nothing waits for the idle time itself.
 */
@ExtendWith(ApplicationExtension.class)
class IdleAutoLockUiTest {

    @TempDir
    static Path dataRoot;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T09:00:00Z"));
    private MainWindow window;
    private Workstation context;

    @Start
    void start(Stage stage) {
        Path home = dataRoot.resolve(UUID.randomUUID().toString());
        context = WindowFixture.withVault(WindowFixture.workstation(home));
        context.settings().save(AppSettings.defaults().withAutoLockMinutes(1));
        window = MainWindow.create(context, BackgroundTasks.daemonThreads(), clock);
        window.show(stage);
    }

    /** Lets the window's once-a-second check run a few times. */
    private static void letTheCheckRun() throws InterruptedException {
        Thread.sleep(2_500);
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void locksAfterTheIdleTimeAndInputStartsTheTimeAgain(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        assertThat(robot.lookup("#unlock-notice").tryQuery()).isEmpty();

        clock.advance(Duration.ofSeconds(50));
        letTheCheckRun();
        assertThat(window.session().isUnlocked()).as("50 s idle < 1 min").isTrue();

        robot.type(KeyCode.SHIFT); // a person touches the keyboard: the idle time starts again
        clock.advance(Duration.ofSeconds(50));
        letTheCheckRun();
        assertThat(window.session().isUnlocked()).as("50 s since the last input").isTrue();

        clock.advance(Duration.ofSeconds(15));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#vault-unlock").tryQuery().isPresent());

        assertThat(window.session().isUnlocked()).isFalse();
        assertThat(robot.lookup("#main-window").tryQuery()).isEmpty();
        assertThat(robot.lookup("#unlock-notice").queryAs(Label.class).getText())
                .startsWith("Locked automatically after 1 minute without keyboard or mouse input.");

        WindowFixture.unlock(robot);
        assertThat(robot.lookup("#main-window").tryQuery()).isPresent();
    }

    @Test
    void runningWorkDefersTheLockUntilItEndsAndTheUnlockScreenSaysSo(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        SimpleBooleanProperty indexing = new SimpleBooleanProperty(true);
        robot.interact(() -> window.idleLock().deferWhile(indexing, "the indexing"));

        clock.advance(Duration.ofMinutes(5));
        letTheCheckRun();
        assertThat(window.session().isUnlocked()).as("the work is still running").isTrue();

        robot.interact(() -> indexing.set(false));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#vault-unlock").tryQuery().isPresent());
        assertThat(window.session().isUnlocked()).isFalse();
        assertThat(robot.lookup("#unlock-notice").queryAs(Label.class).getText())
                .contains("(it waited for the indexing to finish first)");
    }

    @Test
    void neverLocksWhenTheSettingIsNever(FxRobot robot) throws Exception {
        context.settings().save(context.settings().get().withAutoLockMinutes(0));
        WindowFixture.unlock(robot);
        clock.advance(Duration.ofDays(2));
        letTheCheckRun();
        assertThat(window.session().isUnlocked()).isTrue();
    }
}
