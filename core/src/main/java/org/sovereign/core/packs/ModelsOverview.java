package org.sovereign.core.packs;

import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Models screen and {@code doctor} show about the installed packs: trust, files, memory fit and how each
 * runs when loaded. Reads the packs folder and asks the {@link ModelRuntime} what is loaded; loads nothing.
 */
public final class ModelsOverview {

    private final PackCatalog catalog;
    private final ModelRuntime runtime;

    public ModelsOverview(PackCatalog catalog, ModelRuntime runtime) {
        this.catalog = catalog;
        this.runtime = runtime;
    }

    /** Every installed pack with its trust, files, memory fit and how it runs when loaded. */
    public List<PackDetails> details() {
        TrustPolicy policy = catalog.trustPolicy(List.of());
        HardwareProfile hw = runtime.hardware();
        Map<String, LoadedModel> loaded = new HashMap<>();
        for (LoadedModel l : runtime.loadedModels()) {
            loaded.putIfAbsent(l.pack(), l);
        }
        List<PackDetails> rows = new ArrayList<>();
        for (Path dir : catalog.packFolders()) {
            String id = dir.getFileName().toString();
            try {
                InstalledPack pack = InstalledPack.open(dir);
                PackManifest m = pack.manifest();
                String files;
                try {
                    pack.fastCheck();
                    files = "files ok";
                } catch (IOException | RuntimeException e) {
                    files = "damaged: " + PackFailures.oneLine(e.getMessage());
                }
                Verdict v = pack.signatureVerdict(policy);
                rows.add(new PackDetails(id, m.name(), m.version(), PackCatalog.kindName(m.kind()), m.totalBytes(),
                        m.licence() == null ? "?" : m.licence().spdxId(), v, PackCatalog.trustText(m, v, dir),
                        PackCatalog.signer(m, v, dir), files, MemoryFit.of(ModelRuntime.ramNeed(m), hw),
                        Optional.ofNullable(loaded.get(id))));
            } catch (IOException | RuntimeException e) {
                rows.add(new PackDetails(id, id, "?", "?", 0, "?", null,
                        "unreadable: " + PackFailures.oneLine(e.getMessage()), "?", "unreadable",
                        MemoryFit.of(0, hw), Optional.empty()));
            }
        }
        return rows;
    }
}
