package org.sovereign.app.ui;

import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.AppContext;
import org.sovereign.app.config.DataDirectory;
import org.sovereign.app.services.DoctorReport;
import org.sovereign.app.ui.shell.Area;
import org.sovereign.app.ui.shell.MainWindow;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Opens the real main window (headless on Monocle in CI) and walks through it as a person would. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {

    @TempDir
    static Path dataRoot;

    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        DataDirectory dir = DataDirectory.resolve(dataRoot.resolve("home")).ensureExists();
        MainWindow.create(AppContext.create(dir, dir.logDirectory().resolve("sovereign.log"))).show(stage);
    }

    @Test
    void visitsEveryAreaFromTheNavigationRail(FxRobot robot) {
        for (Area area : Area.values()) {
            robot.clickOn("#nav-" + area.id());

            assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo(area.title());
            assertThat(robot.lookup("#area-summary").queryAs(Label.class).getText()).isEqualTo(area.summary());
            assertThat(robot.lookup("#nav-" + area.id()).queryAs(ToggleButton.class).isSelected()).isTrue();
            assertThat(stage.getTitle()).isEqualTo(area.title() + " - Sovereign Workstation");
            if (area == Area.SETTINGS) {
                assertThat(robot.lookup("#settings-view").tryQuery()).isPresent();
            } else {
                assertThat(robot.lookup("#placeholder-" + area.id()).tryQuery())
                        .as("%s states plainly what it will hold", area).isPresent();
            }
        }
    }

    @Test
    void keyboardShortcutsOpenAreasAndClickingTheOpenAreaKeepsItOpen(FxRobot robot) {
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo("Audit");

        robot.clickOn("#nav-audit");
        assertThat(robot.lookup("#nav-audit").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo("Audit");
    }

    @Test
    void settingsRunsTheRealSystemCheckInTheBackground(FxRobot robot) throws Exception {
        robot.clickOn("#nav-settings");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#check-status").queryAs(Label.class).getText().startsWith("Ready"));
        @SuppressWarnings("unchecked")
        TableView<DoctorReport.Check> table = robot.lookup("#check-results").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(DoctorReport.Check::name)
                .contains("Java", "ONNX Runtime", "Data directory", "Memory");
        assertThat(table.getItems()).filteredOn(c -> c.name().equals("ONNX Runtime"))
                .singleElement().satisfies(c -> assertThat(c.value()).contains("CPUExecutionProvider"));
        assertThat(robot.lookup("#data-directory").queryAs(javafx.scene.control.TextField.class).getText())
                .isEqualTo(dataRoot.resolve("home").toString());
        assertThat(robot.lookup("#run-check").queryButton().isDisabled()).isFalse();
    }
}
