package org.sovereign.app.ui.settings;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.store.vault.crypto.KdfParams;

import java.util.Objects;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The preferences part of the Settings screen: auto-lock, power mode and threads, and the Argon2id cost of a new
 * passphrase or vault. The form holds text as typed; each field has a plain-words problem (empty when fine), and
 * Save is possible only when every field is valid and something changed. Saved through {@link SettingsStore}, which
 * keeps fields this form does not show (for example the theme). Holds state only; never touches controls.
 */
public final class Preferences {

    private static final KdfParams DEFAULT_KDF = KdfParams.defaults();
    static final int MIN_KDF_MIB = KdfParams.MIN_MEMORY_KIB / 1024;
    static final int MAX_KDF_MIB = KdfParams.MAX_MEMORY_KIB / 1024;

    private final SettingsStore store;
    private final HardwareProfile hardware;
    private final ObjectProperty<AppSettings> saved = new SimpleObjectProperty<>();

    private final BooleanProperty autoLock = new SimpleBooleanProperty();
    private final StringProperty autoLockMinutes = new SimpleStringProperty("");
    private final BooleanProperty lowPower = new SimpleBooleanProperty();
    private final StringProperty threads = new SimpleStringProperty("");
    private final StringProperty kdfMemory = new SimpleStringProperty("");
    private final StringProperty kdfIterations = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");

    private final StringBinding autoLockProblem;
    private final StringBinding threadsProblem;
    private final StringBinding kdfMemoryProblem;
    private final StringBinding kdfIterationsProblem;
    private final BooleanBinding valid;
    private final BooleanBinding canSave;
    private final BooleanBinding changed;

    public Preferences(SettingsStore store, HardwareProfile hardware) {
        this.store = store;
        this.hardware = hardware;
        autoLockProblem = Bindings.createStringBinding(() -> autoLockProblem(autoLock.get(), autoLockMinutes.get()),
                autoLock, autoLockMinutes);
        threadsProblem = Bindings.createStringBinding(() -> threadsProblem(threads.get()), threads);
        kdfMemoryProblem = Bindings.createStringBinding(() -> kdfMemoryProblem(kdfMemory.get(), hardware), kdfMemory);
        kdfIterationsProblem = Bindings.createStringBinding(() -> kdfIterationsProblem(kdfIterations.get()), kdfIterations);
        valid = Bindings.createBooleanBinding(() -> autoLockProblem.get().isEmpty() && threadsProblem.get().isEmpty()
                        && kdfMemoryProblem.get().isEmpty() && kdfIterationsProblem.get().isEmpty(),
                autoLockProblem, threadsProblem, kdfMemoryProblem, kdfIterationsProblem);
        canSave = Bindings.createBooleanBinding(() -> valid.get() && !Objects.equals(form(), saved.get()),
                valid, saved, autoLock, autoLockMinutes, lowPower, threads, kdfMemory, kdfIterations);
        changed = Bindings.createBooleanBinding(() -> !asShown(saved.get()),
                saved, autoLock, autoLockMinutes, lowPower, threads, kdfMemory, kdfIterations);
        load(store.get());
        // another screen may save settings too (the Models screen's power switch, the theme switch): take its values
        // into the fields the person has not edited here, so a later Save does not write the old values back
        store.addListener(changed -> {
            if (Platform.isFxApplicationThread()) {
                takeOutsideChange(changed);
            } else {
                try {
                    Platform.runLater(() -> takeOutsideChange(changed));
                } catch (IllegalStateException noToolkit) { // no JavaFX running (unit tests): nothing is shown
                    takeOutsideChange(changed);
                }
            }
        });
    }

    private void takeOutsideChange(AppSettings changed) {
        AppSettings before = saved.get();
        if (before == null || changed.equals(before)) {
            return;
        }
        if (lowPower.get() == before.lowPowerMode()) {
            lowPower.set(changed.lowPowerMode());
        }
        String beforeThreads = before.inferenceThreads() == 0 ? "" : Integer.toString(before.inferenceThreads());
        if (threads.get().equals(beforeThreads)) {
            threads.set(changed.inferenceThreads() == 0 ? "" : Integer.toString(changed.inferenceThreads()));
        }
        saved.set(changed);
    }

    /** Whether the form shows exactly {@code settings} as {@link #load} puts them (nothing edited). */
    private boolean asShown(AppSettings settings) {
        if (settings == null) {
            return true;
        }
        return autoLock.get() == settings.autoLockMinutes() > 0
                && (!autoLock.get() || Objects.equals(autoLockMinutes.get(), Integer.toString(settings.autoLockMinutes())))
                && lowPower.get() == settings.lowPowerMode()
                && Objects.equals(threads.get(), settings.inferenceThreads() == 0 ? "" : Integer.toString(settings.inferenceThreads()))
                && Objects.equals(kdfMemory.get(), settings.kdfMemoryMiB() == 0 ? "" : Integer.toString(settings.kdfMemoryMiB()))
                && Objects.equals(kdfIterations.get(), settings.kdfIterations() == 0 ? "" : Integer.toString(settings.kdfIterations()));
    }

    /** Shows {@code settings} in the form. */
    private void load(AppSettings settings) {
        saved.set(settings);
        autoLock.set(settings.autoLockMinutes() > 0);
        autoLockMinutes.set(Integer.toString(settings.autoLockMinutes() > 0
                ? settings.autoLockMinutes() : AppSettings.DEFAULT_AUTO_LOCK_MINUTES));
        lowPower.set(settings.lowPowerMode());
        threads.set(settings.inferenceThreads() == 0 ? "" : Integer.toString(settings.inferenceThreads()));
        kdfMemory.set(settings.kdfMemoryMiB() == 0 ? "" : Integer.toString(settings.kdfMemoryMiB()));
        kdfIterations.set(settings.kdfIterations() == 0 ? "" : Integer.toString(settings.kdfIterations()));
    }

    /** The form as settings (only meaningful while {@link #validProperty()} holds); null when invalid. */
    private AppSettings form() {
        AppSettings base = saved.get();
        if (base == null || !valid.get()) {
            return null;
        }
        return base.withAutoLockMinutes(autoLock.get() ? parse(autoLockMinutes.get()) : 0)
                .withLowPowerMode(lowPower.get())
                .withInferenceThreads(parse(threads.get()))
                .withKdf(parse(kdfMemory.get()), parse(kdfIterations.get()));
    }

    /** Saves the form; says so, or why not, in {@link #statusProperty()}. */
    public void save() {
        AppSettings next = form();
        if (next == null || !canSave.get()) {
            return;
        }
        try {
            // keep what others changed meanwhile (e.g. the theme): apply only this form's fields to the latest
            AppSettings latest = store.get().withAutoLockMinutes(next.autoLockMinutes())
                    .withLowPowerMode(next.lowPowerMode()).withInferenceThreads(next.inferenceThreads())
                    .withKdf(next.kdfMemoryMiB(), next.kdfIterations());
            store.save(latest);
            load(latest);
            status.set("Saved.");
        } catch (UserFacingException e) {
            status.set(e.getMessage() + " Nothing was changed.");
        }
    }

    /** Puts the saved values back in the form. */
    public void revert() {
        load(store.get());
        status.set("");
    }

    // ---------------------------------------------------------------- validation (plain words, empty = fine)

    /** Blank and "0" mean 0 (automatic / the default); anything not a whole number gives -1. */
    static int parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return 0;
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String autoLockProblem(boolean enabled, String minutes) {
        if (!enabled) {
            return "";
        }
        int m = parse(minutes);
        return m >= 1 && m <= AppSettings.MAX_AUTO_LOCK_MINUTES ? ""
                : "Auto-lock: enter whole minutes from 1 to " + AppSettings.MAX_AUTO_LOCK_MINUTES
                + ", or untick it to never lock automatically.";
    }

    static String threadsProblem(String text) {
        int t = parse(text);
        return t >= 0 && t <= AppSettings.MAX_THREADS ? ""
                : "Threads: enter a whole number from 1 to " + AppSettings.MAX_THREADS + ", or leave it empty for automatic.";
    }

    static String kdfMemoryProblem(String text, HardwareProfile hardware) {
        int mib = parse(text);
        if (mib == 0) {
            return "";
        }
        if (mib < MIN_KDF_MIB || mib > MAX_KDF_MIB) {
            return "Argon2 memory: enter MiB from " + MIN_KDF_MIB + " to " + MAX_KDF_MIB + ", or leave it empty for the default.";
        }
        if (hardware.totalMemoryBytes() > 0 && mib * 1024L * 1024L > hardware.totalMemoryBytes() / 2) {
            return "Argon2 memory: " + mib + " MiB is more than half of this computer's memory; unlocking could fail here.";
        }
        return "";
    }

    static String kdfIterationsProblem(String text) {
        int n = parse(text);
        return n >= 0 && n <= KdfParams.MAX_ITERATIONS ? ""
                : "Argon2 passes: enter a whole number from 1 to " + KdfParams.MAX_ITERATIONS + ", or leave it empty for the default.";
    }

    // ---------------------------------------------------------------- derived text

    /** The thread count models run with under the form's values, and why. */
    public StringBinding effectiveThreadsText() {
        return Bindings.createStringBinding(() -> {
            int typed = parse(threads.get());
            int cores = hardware.logicalCores();
            if (typed > 0) {
                return "Models use " + typed + (typed == 1 ? " thread" : " threads") + " (set here; this computer has "
                        + cores + " logical cores).";
            }
            int auto = hardware.inferenceThreads(lowPower.get());
            return "Models use " + auto + (auto == 1 ? " thread" : " threads") + ", chosen automatically: "
                    + (lowPower.get() ? "half of" : "all") + " this computer's " + cores + " logical cores.";
        }, threads, lowPower);
    }

    /** What the Argon2 fields mean, with the built-in defaults. */
    public String kdfExplanation() {
        return "Argon2id turns your passphrase into the key that opens the vault. More memory and more passes make "
                + "every guess slower and dearer for someone who has stolen a copy of the vault, but unlocking on this "
                + "computer takes longer too. Empty means the built-in default: " + DEFAULT_KDF.memoryKiB() / 1024
                + " MiB and " + DEFAULT_KDF.iterations() + " passes (RFC 9106's second recommendation). Changes apply "
                + "to the next passphrase you set and to a new vault; the vault keeps its current settings until then.";
    }

    // ---------------------------------------------------------------- properties

    public BooleanProperty autoLockProperty() {
        return autoLock;
    }

    public StringProperty autoLockMinutesProperty() {
        return autoLockMinutes;
    }

    public BooleanProperty lowPowerProperty() {
        return lowPower;
    }

    public StringProperty threadsProperty() {
        return threads;
    }

    public StringProperty kdfMemoryProperty() {
        return kdfMemory;
    }

    public StringProperty kdfIterationsProperty() {
        return kdfIterations;
    }

    public StringBinding autoLockProblem() {
        return autoLockProblem;
    }

    public StringBinding threadsProblem() {
        return threadsProblem;
    }

    public StringBinding kdfMemoryProblem() {
        return kdfMemoryProblem;
    }

    public StringBinding kdfIterationsProblem() {
        return kdfIterationsProblem;
    }

    /** The first problem of the form, in plain words; empty when every field is valid. */
    public StringBinding problem() {
        return Bindings.createStringBinding(() -> Stream.of(autoLockProblem, threadsProblem,
                        kdfMemoryProblem, kdfIterationsProblem).map(StringBinding::get).filter(p -> !p.isEmpty())
                        .findFirst().orElse(""),
                autoLockProblem, threadsProblem, kdfMemoryProblem, kdfIterationsProblem);
    }

    public BooleanBinding validProperty() {
        return valid;
    }

    public BooleanBinding canSaveProperty() {
        return canSave;
    }

    /** True once a field differs from the saved settings, so there is something to undo. */
    public BooleanBinding changedProperty() {
        return changed;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    /** The hardware profile the thread count and the memory check use (the view's validators need it). */
    HardwareProfile hardware() {
        return hardware;
    }
}
