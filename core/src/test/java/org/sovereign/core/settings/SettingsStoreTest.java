package org.sovereign.core.settings;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsStoreTest {

    @TempDir
    Path dir;

    @Test
    void missingFileMeansDefaults() {
        assertThat(new SettingsStore(dir).get()).isEqualTo(AppSettings.defaults());
        assertThat(dir.resolve(SettingsStore.FILE_NAME)).doesNotExist();
    }

    @Test
    void savedSettingsSurviveARestartAndListenersHearOfThem() {
        SettingsStore store = new SettingsStore(dir);
        List<AppSettings> heard = new ArrayList<>();
        store.addListener(heard::add);
        AppSettings changed = AppSettings.defaults().withAutoLockMinutes(5).withLowPowerMode(true)
                .withInferenceThreads(3).withTheme(AppSettings.Theme.DARK).withKdf(128, 4);
        store.save(changed);
        assertThat(heard).containsExactly(changed);
        assertThat(new SettingsStore(dir).get()).isEqualTo(changed);
    }

    @Test
    void aDamagedFileIsKeptAsideAndDefaultsAreUsed() throws Exception {
        Files.writeString(dir.resolve(SettingsStore.FILE_NAME), "{\"autoLockMinutes\": -7");
        assertThat(new SettingsStore(dir).get()).isEqualTo(AppSettings.defaults());
        assertThat(dir.resolve(SettingsStore.FILE_NAME + ".bad")).exists();
    }

    @Test
    void anOutOfRangeValueInTheFileIsRefusedNotApplied() throws Exception {
        Files.writeString(dir.resolve(SettingsStore.FILE_NAME), "{\"autoLockMinutes\": -7}");
        assertThat(new SettingsStore(dir).get().autoLockMinutes()).isEqualTo(AppSettings.DEFAULT_AUTO_LOCK_MINUTES);
    }

    @Test
    void invalidValuesAreRefusedWithAPlainMessage() {
        assertThatThrownBy(() -> AppSettings.defaults().withAutoLockMinutes(-1))
                .hasMessageContaining("Auto-lock must be between 0 (never)");
        assertThatThrownBy(() -> AppSettings.defaults().withInferenceThreads(1000))
                .hasMessageContaining("Threads must be between");
    }
}
