package org.sovereign.core.packs;

import org.sovereign.core.common.Progress;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.testing.TestKdf;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** What the pack tests start from: a data directory with a vault and the bundled embedding pack installed. */
final class PackTestHome {

    static final String PASS = "a long and private passphrase";

    final Path home;
    final StoreService store;
    final Packs packs;

    /** A vault in {@code home} (fast key derivation) and the bundled pack installed, with these settings. */
    PackTestHome(Path home, Supplier<AppSettings> settings) {
        this.home = home;
        this.store = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(), TestKdf.FAST);
        store.create(PASS.toCharArray()).close();
        this.packs = Packs.create(home, store, settings);
        packs.installation().installDefault(PASS::toCharArray, Progress.NONE);
    }

    /** Imports the tiny Llama fixture into {@code dir} and installs it (unsigned, trusted anyway). */
    void installTiny(Path dir) {
        Path mpack = dir.resolve("tiny.mpack");
        packs.importer().importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        packs.installation().install(mpack, List.of(), true, PASS::toCharArray, Progress.NONE);
    }

    /** Releases every loaded model and the bundled-pack location a test may have pointed elsewhere. */
    void close() {
        packs.runtime().unloadModels();
        System.clearProperty(DefaultPack.DIR_PROPERTY);
    }
}
