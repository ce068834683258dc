package org.sovereign.core.packs;

import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * The model-pack parts of one data directory, wired once by the {@code Workstation}: each owns one job.
 *
 * @param keys         publisher keys: keygen and signing
 * @param importer     Hugging Face ONNX folder to {@code .mpack}
 * @param catalog      the installed packs: find and list
 * @param installation verify, install, re-verify and remove (audited)
 * @param runtime      loaded models: generation, embeddings, threads, hardware
 * @param overview     the Models screen's details of every installed pack
 */
public record Packs(PublisherKeys keys, PackImport importer, PackCatalog catalog, PackInstallation installation,
                    ModelRuntime runtime, ModelsOverview overview) {

    /** With the default settings (automatic threads, normal power mode). */
    public static Packs create(Path dataDir, StoreService store) {
        return create(dataDir, store, AppSettings::defaults);
    }

    /**
     * The parts for packs in {@code <dataDir>/packs}; cleans up folders an interrupted install left there.
     *
     * @param settings read each time a model loads (threads, power mode)
     */
    public static Packs create(Path dataDir, StoreService store, Supplier<AppSettings> settings) {
        PackCatalog catalog = new PackCatalog(dataDir);
        ModelRuntime runtime = new ModelRuntime(catalog, store, settings);
        return new Packs(new PublisherKeys(), new PackImport(), catalog,
                new PackInstallation(dataDir, catalog, runtime, store), runtime, new ModelsOverview(catalog, runtime));
    }
}
