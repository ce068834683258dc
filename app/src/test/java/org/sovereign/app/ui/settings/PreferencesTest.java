package org.sovereign.app.ui.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.store.vault.crypto.KdfParams;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Settings form's rules, without a window. */
class PreferencesTest {

    private static final HardwareProfile FOUR_CORES_8_GIB = new HardwareProfile(4, List.of(), 8L << 30, 4L << 30);

    @TempDir
    Path dir;

    @Test
    void eachFieldSaysInPlainWordsWhatIsWrong() {
        assertThat(Preferences.autoLockProblem(true, "0")).startsWith("Auto-lock: enter whole minutes from 1 to 1440");
        assertThat(Preferences.autoLockProblem(true, "1441")).isNotEmpty();
        assertThat(Preferences.autoLockProblem(true, "15")).isEmpty();
        assertThat(Preferences.autoLockProblem(false, "nonsense")).as("never: minutes do not matter").isEmpty();
        assertThat(Preferences.threadsProblem("")).isEmpty();
        assertThat(Preferences.threadsProblem("257")).isNotEmpty();
        assertThat(Preferences.threadsProblem("-1")).isNotEmpty();
        assertThat(Preferences.kdfMemoryProblem("", FOUR_CORES_8_GIB)).isEmpty();
        assertThat(Preferences.kdfMemoryProblem("7", FOUR_CORES_8_GIB)).startsWith("Argon2 memory: enter MiB from 8 to 4096");
        assertThat(Preferences.kdfMemoryProblem("4096", FOUR_CORES_8_GIB)).isEmpty();
        assertThat(Preferences.kdfMemoryProblem("4096", new HardwareProfile(4, List.of(), 4L << 30, 1L << 30)))
                .contains("more than half of this computer's memory");
        assertThat(Preferences.kdfIterationsProblem("65")).startsWith("Argon2 passes");
        assertThat(Preferences.kdfIterationsProblem("3")).isEmpty();
    }

    @Test
    void undoIsPossibleOnlyOnceSomethingWasChanged() {
        SettingsStore store = new SettingsStore(dir);
        Preferences form = new Preferences(store, FOUR_CORES_8_GIB);
        assertThat(form.changedProperty().get()).as("nothing changed: nothing to undo").isFalse();

        form.threadsProperty().set("x"); // invalid input is a change too, and undo is the way out of it
        assertThat(form.changedProperty().get()).isTrue();
        form.threadsProperty().set("");
        assertThat(form.changedProperty().get()).as("back as it was").isFalse();

        form.lowPowerProperty().set(true);
        assertThat(form.changedProperty().get()).isTrue();
        form.revert();
        assertThat(form.changedProperty().get()).isFalse();
        form.lowPowerProperty().set(true);
        form.save();
        assertThat(form.changedProperty().get()).as("saved: nothing left to undo").isFalse();
    }

    @Test
    void saveIsPossibleOnlyWhenValidAndChangedAndKeepsOtherFields() {
        SettingsStore store = new SettingsStore(dir);
        store.save(AppSettings.defaults().withTheme(AppSettings.Theme.DARK));
        Preferences form = new Preferences(store, FOUR_CORES_8_GIB);
        assertThat(form.canSaveProperty().get()).isFalse();
        assertThat(form.effectiveThreadsText().get()).isEqualTo("Models use 4 threads, chosen automatically: all this computer's 4 logical cores.");

        form.lowPowerProperty().set(true);
        assertThat(form.effectiveThreadsText().get()).startsWith("Models use 2 threads");
        form.kdfIterationsProperty().set("x");
        assertThat(form.canSaveProperty().get()).isFalse();
        form.kdfIterationsProperty().set("4");
        assertThat(form.canSaveProperty().get()).isTrue();
        form.save();

        AppSettings saved = new SettingsStore(dir).get();
        assertThat(saved).isEqualTo(new AppSettings(15, true, 0, AppSettings.Theme.DARK, 0, 4));
        assertThat(saved.kdfParams(KdfParams.defaults())).isEqualTo(new KdfParams(64 * 1024, 4, KdfParams.defaults().parallelism()));
        assertThat(form.canSaveProperty().get()).isFalse();
    }

    @Test
    void aPowerModeSavedByAnotherScreenIsNotWrittenBackByAnOpenForm() throws Exception {
        SettingsStore store = new SettingsStore(dir);
        Preferences form = new Preferences(store, FOUR_CORES_8_GIB);
        // the Models screen switches to low power while the Settings form is open (on the FX thread, as in the app)
        FxToolkit.registerPrimaryStage();
        WaitForAsyncUtils.asyncFx(() -> store.save(store.get().withLowPowerMode(true))).get();
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(form.lowPowerProperty().get()).isTrue();
        // the person then changes only the auto-lock here and saves
        form.autoLockMinutesProperty().set("5");
        form.save();
        assertThat(new SettingsStore(dir).get().lowPowerMode()).as("not reverted by the form").isTrue();
        assertThat(new SettingsStore(dir).get().autoLockMinutes()).isEqualTo(5);
    }
}
