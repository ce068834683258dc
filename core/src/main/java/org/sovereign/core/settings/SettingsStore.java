package org.sovereign.core.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.files.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Loads and saves {@link AppSettings} as {@code settings.json} in the data directory. Writes are atomic; a missing
 * file means defaults; an unreadable or invalid file is kept aside as {@code settings.json.bad} and defaults are
 * used, so a damaged preference file never stops the workstation from starting. Thread-safe.
 */
public final class SettingsStore {

    public static final String FILE_NAME = "settings.json";
    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final CopyOnWriteArrayList<Consumer<AppSettings>> listeners = new CopyOnWriteArrayList<>();
    private AppSettings current;

    public SettingsStore(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
    }

    public Path file() {
        return file;
    }

    /** The current settings (read from disk on first use). */
    public synchronized AppSettings get() {
        if (current == null) {
            current = load();
        }
        return current;
    }

    /**
     * Saves {@code settings} and tells the listeners (on the caller's thread).
     *
     * @throws UserFacingException if the file cannot be written; the previous settings stay in force
     */
    public void save(AppSettings settings) {
        synchronized (this) {
            ObjectNode node = JSON.createObjectNode();
            node.put("autoLockMinutes", settings.autoLockMinutes());
            node.put("lowPowerMode", settings.lowPowerMode());
            node.put("inferenceThreads", settings.inferenceThreads());
            node.put("theme", settings.theme().name().toLowerCase(Locale.ROOT));
            node.put("kdfMemoryMiB", settings.kdfMemoryMiB());
            node.put("kdfIterations", settings.kdfIterations());
            try {
                AtomicFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
            } catch (IOException e) {
                throw new UserFacingException("Could not save the settings to " + file + ".", e);
            }
            current = settings;
        }
        listeners.forEach(l -> l.accept(settings));
    }

    /** Called with the new settings after every successful {@link #save}. */
    public void addListener(Consumer<AppSettings> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<AppSettings> listener) {
        listeners.remove(listener);
    }

    private AppSettings load() {
        if (!Files.exists(file)) {
            return AppSettings.defaults();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            AppSettings d = AppSettings.defaults();
            return new AppSettings(
                    n.path("autoLockMinutes").asInt(d.autoLockMinutes()),
                    n.path("lowPowerMode").asBoolean(d.lowPowerMode()),
                    n.path("inferenceThreads").asInt(d.inferenceThreads()),
                    AppSettings.Theme.valueOf(n.path("theme").asText("light").toUpperCase(Locale.ROOT)),
                    n.path("kdfMemoryMiB").asInt(0),
                    n.path("kdfIterations").asInt(0));
        } catch (IOException | RuntimeException e) {
            Path bad = file.resolveSibling(FILE_NAME + ".bad");
            LOG.warn("Settings file {} is unreadable ({}); using defaults and keeping it as {}", SafeText.forLog(file),
                    SafeText.forLog(e.getMessage()), SafeText.forLog(bad));
            try {
                Files.move(file, bad, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("Could not move {} aside: {}", SafeText.forLog(file), SafeText.forLog(moveFailed.getMessage()));
            }
            return AppSettings.defaults();
        }
    }
}
