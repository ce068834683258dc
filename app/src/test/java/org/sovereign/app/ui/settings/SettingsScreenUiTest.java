package org.sovereign.app.ui.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.testing.TestKdf;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.UUID;
import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;
import static org.sovereign.app.ui.settings.SettingsScreen.click;
import static org.sovereign.app.ui.settings.SettingsScreen.reveal;
import static org.sovereign.app.ui.settings.SettingsScreen.text;
import static org.sovereign.app.ui.settings.SettingsScreen.type;

/** The Settings screen in the real window (headless on Monocle): preferences saved to disk, passphrase change. */
@ExtendWith(ApplicationExtension.class)
class SettingsScreenUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;
    static final String NEW_PASSPHRASE = "copper kettle winter meadow";

    @TempDir
    static Path dataRoot;

    private Path home;
    private MainWindow window;
    private Workstation context;

    @Start
    void start(Stage stage) {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        context = WindowFixture.withVault(WindowFixture.workstation(home));
        window = WindowFixture.show(context, stage);
    }

    private void unlockAndOpenSettings(FxRobot robot, String passphrase) throws Exception {
        WindowFixture.unlock(robot, passphrase);
        robot.clickOn("#nav-settings");
        waitUntil(() -> robot.lookup("#settings-view").tryQuery().isPresent());
    }

    @Test
    void preferencesAreValidatedInlineAndSavedToDisk(FxRobot robot) throws Exception {
        unlockAndOpenSettings(robot, PASSPHRASE);
        Button save = robot.lookup("#settings-save").queryButton();
        assertThat(robot.lookup("#data-directory").queryAs(TextField.class).getText()).isEqualTo(home.toString());
        assertThat(save.isDisabled()).as("nothing changed yet").isTrue();
        reveal(robot, "#network-use");
        waitUntil(() -> text(robot, "#network-use-summary").equals("This workstation has never used the network."));
        assertThat(robot.lookup("#network-use").queryTableView().getItems()).isEmpty();
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(text(robot, "#effective-threads")).isEqualTo("Models use " + cores + (cores == 1 ? " thread" : " threads")
                + ", chosen automatically: all this computer's " + cores + " logical cores.");

        type(robot, "#auto-lock-minutes", "5");
        click(robot, "#low-power-mode");
        int half = Math.max(1, cores / 2);
        assertThat(text(robot, "#effective-threads")).startsWith("Models use " + half + (half == 1 ? " thread" : " threads")
                + ", chosen automatically: half of");
        type(robot, "#inference-threads", "lots");
        assertThat(text(robot, "#settings-problem")).startsWith("Threads: enter a whole number");
        assertThat(save.isDisabled()).isTrue();
        type(robot, "#inference-threads", "1");
        assertThat(text(robot, "#effective-threads")).startsWith("Models use 1 thread (set here;");

        click(robot, "#advanced-settings");
        assertThat(text(robot, "#kdf-explanation")).contains("64 MiB and 3 passes");
        type(robot, "#kdf-memory", "2");
        assertThat(text(robot, "#settings-problem")).startsWith("Argon2 memory: enter MiB from 8 to 4096");
        assertThat(save.isDisabled()).as("Save is disabled while a field is invalid").isTrue();
        type(robot, "#kdf-memory", "32");
        type(robot, "#kdf-iterations", "2");
        assertThat(text(robot, "#settings-problem")).isEmpty();
        assertThat(save.isDisabled()).isFalse();

        click(robot, "#settings-save");

        assertThat(text(robot, "#settings-status")).isEqualTo("Saved.");
        assertThat(save.isDisabled()).as("saved: nothing left to save").isTrue();
        AppSettings onDisk = new SettingsStore(home).get(); // a fresh read of settings.json
        assertThat(onDisk).isEqualTo(new AppSettings(5, true, 1, AppSettings.Theme.LIGHT, 32, 2));
        assertThat(context.settings().get()).isEqualTo(onDisk);
        assertThat(onDisk.kdfParams(KdfParams.defaults()).memoryKiB()).isEqualTo(32 * 1024);

        click(robot, "#auto-lock-enabled"); // untick: never
        click(robot, "#settings-save");
        assertThat(new SettingsStore(home).get().autoLockMinutes()).isZero();
    }

    @Test
    void aWrongCurrentPassphraseChangesNothingAndTheRightOneChangesIt(FxRobot robot) throws Exception {
        unlockAndOpenSettings(robot, PASSPHRASE);
        Button change = robot.lookup("#change-passphrase").queryButton();

        type(robot, "#current-passphrase", "not my passphrase");
        type(robot, "#changed-passphrase", NEW_PASSPHRASE);
        type(robot, "#changed-passphrase-confirm", "copper kettle");
        assertThat(text(robot, "#changed-strength-text")).isEqualTo("The two new passphrases differ.");
        assertThat(change.isDisabled()).isTrue();
        type(robot, "#changed-passphrase-confirm", NEW_PASSPHRASE);
        assertThat(change.isDisabled()).isFalse();
        byte[] header = header();
        click(robot, "#change-passphrase");
        waitUntil(() -> !text(robot, "#change-passphrase-error").isEmpty());

        assertThat(text(robot, "#change-passphrase-error")).isEqualTo("The current passphrase is wrong. Nothing was changed.");
        assertThat(text(robot, "#change-passphrase-message")).isEmpty();
        assertThat(robot.lookup("#changed-passphrase").queryAs(TextField.class).getText()).as("fields cleared").isEmpty();
        assertThat(header()).as("the wrapped key is untouched").isEqualTo(header);

        type(robot, "#current-passphrase", PASSPHRASE);
        type(robot, "#changed-passphrase", NEW_PASSPHRASE);
        type(robot, "#changed-passphrase-confirm", NEW_PASSPHRASE);
        click(robot, "#change-passphrase");
        waitUntil(() -> text(robot, "#change-passphrase-message").startsWith("Passphrase changed"));
        assertThat(text(robot, "#change-passphrase-error")).isEmpty();
        LocalStore store = window.session().unlockedProperty().get();
        assertThat(store.audit().entries(0, store.audit().size())).extracting(e -> e.type())
                .contains(AuditTypes.VAULT_PASSPHRASE_CHANGED);

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        robot.clickOn("#unlock-passphrase").write(PASSPHRASE).type(KeyCode.ENTER);
        waitUntil(() -> !text(robot, "#unlock-error").isEmpty());
        assertThat(window.session().isUnlocked()).as("the old passphrase no longer opens it").isFalse();
        unlockAndOpenSettings(robot, NEW_PASSPHRASE);
        assertThat(window.session().isUnlocked()).isTrue();
    }

    @Test
    void anArgon2FieldLeftEmptyKeepsTheVaultsCurrentValueOnPassphraseChange(FxRobot robot) throws Exception {
        // only the passes are set in Settings; the memory must stay the vault's (8 MiB here), not become 64 MiB
        context.settings().save(context.settings().get().withKdf(0, 2));
        unlockAndOpenSettings(robot, PASSPHRASE);
        type(robot, "#current-passphrase", PASSPHRASE);
        type(robot, "#changed-passphrase", NEW_PASSPHRASE);
        type(robot, "#changed-passphrase-confirm", NEW_PASSPHRASE);
        click(robot, "#change-passphrase");
        waitUntil(() -> text(robot, "#change-passphrase-message").startsWith("Passphrase changed"));

        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
             var rs = c.createStatement().executeQuery(
                     "SELECT kdf_memory_kib, kdf_iterations, kdf_parallelism FROM vault_header WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).as("memory kept from the vault").isEqualTo(TestKdf.FAST.memoryKiB());
            assertThat(rs.getInt(2)).as("passes from Settings").isEqualTo(2);
            assertThat(rs.getInt(3)).as("parallelism kept from the vault").isEqualTo(TestKdf.FAST.parallelism());
        }
    }

    /** The vault header row (salt and wrapped master key), read with plain SQLite. */
    private byte[] header() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + home.resolve("vault.db"));
             var rs = c.createStatement().executeQuery("SELECT kdf_salt, wrapped_master_key FROM vault_header WHERE id = 1")) {
            assertThat(rs.next()).isTrue();
            byte[] salt = rs.getBytes(1);
            byte[] wrapped = rs.getBytes(2);
            byte[] both = Arrays.copyOf(salt, salt.length + wrapped.length);
            System.arraycopy(wrapped, 0, both, salt.length, wrapped.length);
            assertThat(Files.exists(home.resolve("vault.db"))).isTrue();
            return both;
        }
    }
}
