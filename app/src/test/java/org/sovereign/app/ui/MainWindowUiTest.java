package org.sovereign.app.ui;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.shell.Area;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.services.DoctorReport;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.unlock;

/** Opens the real main window (headless on Monocle in CI) and walks through it as a person would. */
@ExtendWith(ApplicationExtension.class)
class MainWindowUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;

    @TempDir
    static Path dataRoot;

    private Stage stage;
    private Path home;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.withVault(WindowFixture.workstation(home));
        window = WindowFixture.show(context, stage);
    }

    @Test
    void visitsEveryAreaFromTheNavigationRail(FxRobot robot) throws Exception {
        unlock(robot);
        for (Area area : Area.values()) {
            robot.clickOn("#nav-" + area.id());

            assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo(area.title());
            assertThat(robot.lookup("#area-summary").queryAs(Label.class).getText()).isEqualTo(area.summary());
            assertThat(robot.lookup("#nav-" + area.id()).queryAs(ToggleButton.class).isSelected()).isTrue();
            assertThat(stage.getTitle()).isEqualTo(area.title() + " - Sovereign Workstation");
            if (area.plannedContent().isEmpty()) {
                assertThat(robot.lookup("#" + area.id() + "-view").tryQuery()).as("%s is built", area).isPresent();
            } else {
                assertThat(robot.lookup("#placeholder-" + area.id()).tryQuery())
                        .as("%s states plainly what it will hold", area).isPresent();
            }
        }
    }

    @Test
    void keyboardShortcutsOpenAreasAndClickingTheOpenAreaKeepsItOpen(FxRobot robot) throws Exception {
        unlock(robot);
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT5).release(KeyCode.DIGIT5, KeyCode.CONTROL);
        assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo("Audit");

        robot.clickOn("#nav-audit");
        assertThat(robot.lookup("#nav-audit").queryAs(ToggleButton.class).isSelected()).isTrue();
        assertThat(robot.lookup("#area-title").queryAs(Label.class).getText()).isEqualTo("Audit");
    }

    @Test
    void settingsRunsTheRealSystemCheckInTheBackground(FxRobot robot) throws Exception {
        unlock(robot);
        robot.clickOn("#nav-settings");

        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#check-status").queryAs(Label.class).getText().startsWith("Ready"));
        @SuppressWarnings("unchecked")
        TableView<DoctorReport.Check> table = robot.lookup("#check-results").queryAs(TableView.class);
        assertThat(table.getItems()).extracting(DoctorReport.Check::name)
                .contains("Java", "ONNX Runtime", "Data directory", "Memory");
        assertThat(table.getItems()).filteredOn(c -> c.name().equals("ONNX Runtime"))
                .singleElement().satisfies(c -> assertThat(c.value()).contains("CPUExecutionProvider"));
        assertThat(robot.lookup("#data-directory").queryAs(TextField.class).getText())
                .isEqualTo(home.toString());
        assertThat(robot.lookup("#run-check").queryButton().isDisabled()).isFalse();
        String fingerprint = robot.lookup("#device-fingerprint").queryAs(TextField.class).getText();
        assertThat(fingerprint).matches("([0-9a-f]{4} ){15}[0-9a-f]{4}")
                .isEqualTo(window.session().unlockedProperty().get().deviceIdentity().fingerprint());
        assertThat(robot.lookup("#audit-log-key").queryAs(TextField.class).getText())
                .startsWith("sovereign-device-" + fingerprint.replace(" ", "").substring(0, 16) + "+");
    }

    @Test
    void aWrongPassphraseIsAnInlineMessageAndChangesNothing(FxRobot robot) throws Exception {
        byte[] before = Files.readAllBytes(home.resolve("vault.db"));

        robot.clickOn("#unlock-passphrase").write("not my passphrase").type(KeyCode.ENTER);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> !robot.lookup("#unlock-error").queryAs(Label.class).getText().isEmpty());

        assertThat(robot.lookup("#unlock-error").queryAs(Label.class).getText())
                .isEqualTo("The passphrase is wrong (or the vault header has been altered). Nothing was changed.");
        assertThat(robot.lookup("#main-window").tryQuery()).isEmpty();
        assertThat(window.session().isUnlocked()).isFalse();
        assertThat(Files.readAllBytes(home.resolve("vault.db"))).isEqualTo(before);
        assertThat(robot.lookup("#unlock-passphrase").queryAs(PasswordField.class).getText())
                .as("the field is cleared for the next try").isEmpty();
    }

    @Test
    void ctrlLLocksTheVaultAndHidesTheWorkstation(FxRobot robot) throws Exception {
        assertThat(stage.getTitle()).as("the unlock screen, not an area").isEqualTo("Unlock - Sovereign Workstation");
        unlock(robot);
        assertThat(window.session().isUnlocked()).isTrue();
        robot.clickOn("#nav-library");
        assertThat(stage.getTitle()).isEqualTo("Library - Sovereign Workstation");

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);

        assertThat(window.session().isUnlocked()).isFalse();
        assertThat(robot.lookup("#main-window").tryQuery()).isEmpty();
        assertThat(robot.lookup("#vault-unlock").tryQuery()).isPresent();
        assertThat(stage.getTitle()).as("not the screen left behind").isEqualTo("Unlock - Sovereign Workstation");
        unlock(robot);
        assertThat(window.session().isUnlocked()).isTrue();
        assertThat(stage.getTitle()).isEqualTo("Library - Sovereign Workstation");
    }
}
