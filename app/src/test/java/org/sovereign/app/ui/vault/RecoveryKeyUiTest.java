package org.sovereign.app.ui.vault;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The recovery key in the window: created with the vault and shown once, then used on the unlock screen ("Forgot your
 * passphrase?") to set a new passphrase, which then unlocks the vault.
 */
@ExtendWith(ApplicationExtension.class)
class RecoveryKeyUiTest {

    private static final String FIRST = "first long passphrase words";
    private static final String SECOND = "second long passphrase words";

    @TempDir
    Path home;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        window = WindowFixture.show(WindowFixture.workstation(home), stage);
    }

    private void waitForWorkstation(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#main-window").tryQuery().isPresent());
    }

    @Test
    void createWithARecoveryKeyThenRecoverWithItAndTheNewPassphraseUnlocks(FxRobot robot) throws Exception {
        robot.clickOn("#new-passphrase").write(FIRST);
        robot.clickOn("#confirm-passphrase").write(FIRST);
        robot.clickOn("#with-recovery-key");
        robot.clickOn("#create-vault");

        // shown once, before the workstation; Continue only after "I have written it down"
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#recovery-key-pane").tryQuery().map(n -> n.isVisible()).orElse(false));
        // the whole key, in two lines of seven groups; Copy puts the key itself on the clipboard
        String shown = robot.lookup("#recovery-key-text").queryAs(Label.class).getText();
        assertThat(shown.lines()).hasSize(2).allMatch(line -> line.length() <= 35);
        String key = shown.replace("\n", "");
        assertThat(key).matches("[0-9A-Z]{4}(-[0-9A-Z]{4}){13}");
        robot.clickOn("#recovery-key-copy");
        assertThat(WaitForAsyncUtils.asyncFx(() -> Clipboard.getSystemClipboard().getString()).get()).isEqualTo(key);
        assertThat(robot.lookup("#recovery-key-copied").queryAs(Label.class).getText()).startsWith("Copied");
        assertThat(window.session().isUnlocked()).isFalse();
        assertThat(robot.lookup("#recovery-key-continue").queryButton().isDisabled()).isTrue();
        robot.clickOn("#recovery-key-confirmed");
        robot.clickOn("#recovery-key-continue");
        // first run: the built-in search model is installed next, then the workstation opens
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#default-pack-step").tryQuery().isPresent()
                || robot.lookup("#main-window").tryQuery().isPresent());
        if (robot.lookup("#default-pack-step").tryQuery().isPresent()) {
            WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> robot.lookup("#pack-continue").query().isVisible());
            robot.clickOn("#pack-continue");
        }
        waitForWorkstation(robot);
        assertThat(window.session().isUnlocked()).isTrue();
        assertThat(LocalStore.hasRecoveryKey(home)).isTrue();

        robot.interact(() -> window.session().lock());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#vault-unlock").tryQuery().isPresent());

        robot.clickOn("#forgot-passphrase");
        Button recover = robot.lookup("#recover-vault").queryButton();
        // a typo first: caught by the checksum, shown inline, nothing changes
        char[] typo = key.toCharArray();
        typo[0] = typo[0] == 'A' ? 'B' : 'A';
        robot.clickOn("#recovery-key-input").write(new String(typo));
        robot.clickOn("#recovery-new-passphrase").write(SECOND);
        robot.clickOn("#recovery-confirm-passphrase").write(SECOND);
        assertThat(recover.isDisabled()).isFalse();
        robot.clickOn("#recover-vault");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> !robot.lookup("#recover-error").queryAs(Label.class).getText().isEmpty());
        assertThat(robot.lookup("#recover-error").queryAs(Label.class).getText()).contains("typo");
        assertThat(window.session().isUnlocked()).isFalse();

        // the real key (typed in lower case), the new passphrase again
        robot.interact(() -> robot.lookup("#recovery-key-input").queryAs(TextField.class).clear());
        robot.clickOn("#recovery-key-input").write(key.toLowerCase());
        robot.clickOn("#recovery-new-passphrase").write(SECOND);
        robot.clickOn("#recovery-confirm-passphrase").write(SECOND);
        robot.clickOn("#recover-vault");
        // a confirmation first, not a silent jump into the workstation
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> robot.lookup("#recovered-step").tryQuery().isPresent());
        assertThat(robot.lookup("#recovered-text").queryAs(Label.class).getText()).isEqualTo(RecoveredView.CONFIRMATION);
        assertThat(robot.lookup("#main-window").tryQuery()).isEmpty();
        assertThat(window.session().isUnlocked()).isTrue();
        robot.clickOn("#recovered-continue");
        waitForWorkstation(robot);
        assertThat(window.session().unlockedProperty().get().audit().entries(0, window.session().unlockedProperty().get().audit().size()))
                .extracting(AuditEntry::type).endsWith(AuditTypes.VAULT_PASSPHRASE_RECOVERED);

        // the new passphrase unlocks
        robot.interact(() -> window.session().lock());
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#unlock-passphrase").tryQuery().isPresent());
        robot.clickOn("#unlock-passphrase").write(SECOND).type(KeyCode.ENTER);
        waitForWorkstation(robot);
        assertThat(window.session().isUnlocked()).isTrue();
        assertThat(LocalStore.verifyAudit(home).holds()).isTrue();
    }
}
