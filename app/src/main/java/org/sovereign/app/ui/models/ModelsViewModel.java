package org.sovereign.app.ui.models;

import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.dialogs.PackFailureWords;
import org.sovereign.app.ui.tasks.BackgroundTask;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.FolderPreview;
import org.sovereign.core.packs.LoadedModel;
import org.sovereign.core.packs.MemoryFit;
import org.sovereign.core.packs.PackDetails;
import org.sovereign.core.packs.PackFetch;
import org.sovereign.core.packs.PackInstallation;
import org.sovereign.core.packs.PackVerification;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.packs.VerdictText;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.Verdict;
import org.sovereign.store.LocalStore;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Models: the installed packs with their trust, files, memory fit and how they run; import (verify first, show the
 * verdict, install, with "Install anyway" behind an explicit confirmation for unsigned or untrusted packs),
 * re-verify, load, remove; the hardware profile and the power mode. Long work runs in the background with progress
 * and Cancel. Holds state only; never touches controls.
 */
public final class ModelsViewModel {

    /** One installed pack as the table shows it. */
    public record Row(String id, String name, String version, String kind, String size, String licence,
                      String trustWord, String trust, String signer, String files, String fit,
                      MemoryFit.Verdict fitVerdict, String runs) {

        static Row of(PackDetails d) {
            return new Row(d.id(), d.name(), d.version(), d.kind(), MemoryFit.size(d.sizeBytes()), d.licence(),
                    trustWord(d), d.trust(), d.signer(), d.files(), d.fit().text(), d.fit().verdict(),
                    d.loaded().map(LoadedModel::runsOn).orElse("not loaded"));
        }

        private static String trustWord(PackDetails d) {
            if (d.verdict() == null) {
                return "unreadable";
            }
            if (d.trust().startsWith("Bundled")) {
                return "bundled";
            }
            return VerdictText.shortWord(d.verdict());
        }
    }

    /** Where an import is. */
    public enum ImportStage { NONE, VERIFYING, VERDICT, INSTALLING }

    /**
     * Where making a pack from a Hugging Face folder is: reading the folder, choosing a variant, importing it, done,
     * or failed (the folder cannot be imported).
     */
    public enum HfStage { NONE, READING, CHOOSING, IMPORTING, DONE, FAILED }

    /**
     * One variant of a Hugging Face folder as the screen lists it.
     *
     * @param key        what it is chosen by: fp32, fp16, int8, quantized, q4, q4f16, ...
     * @param file       the ONNX file's name
     * @param size       the file and its external data, e.g. "1.2 GB"
     * @param fit        memory needed against this computer's, e.g. "fits (needs about 1.1 GiB of 15.5 GiB)"
     * @param fitVerdict the memory verdict
     * @param cpu        what its number format means on this CPU
     * @param problem    why it cannot be imported, or null
     */
    public record VariantRow(String key, String file, String precision, String size, String fit,
                             MemoryFit.Verdict fitVerdict, String cpu, String problem) {

        static VariantRow of(FolderPreview.Variant v) {
            return new VariantRow(v.variant().key(), v.variant().fileName(), v.variant().precision().label(),
                    MemoryFit.size(v.variant().sizeBytes()), v.memory().text(), v.memory().verdict(), v.cpu(),
                    v.problem());
        }

        public boolean usable() {
            return problem == null;
        }

        /** Both facts in one line: "Memory: fits (...). CPU: 4-bit weights; ..." */
        public String facts() {
            return usable() ? "Memory: " + fit + ". CPU: " + cpu + "." : problem;
        }
    }

    private final VaultSessionState session;
    private final Packs packs;
    private final SettingsStore settings;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty hardwareText = new SimpleStringProperty("");
    private final StringProperty runtimeText = new SimpleStringProperty("");
    private final BooleanProperty lowPower = new SimpleBooleanProperty(false);
    private final BooleanProperty defaultPending = new SimpleBooleanProperty(false);

    private final ObjectProperty<ImportStage> importStage = new SimpleObjectProperty<>(ImportStage.NONE);
    private final StringProperty importSource = new SimpleStringProperty("");
    private final StringProperty importVerdict = new SimpleStringProperty("");
    private final BooleanProperty importTrusted = new SimpleBooleanProperty(false);
    private final BooleanProperty importInstallable = new SimpleBooleanProperty(false);
    private final BooleanProperty confirmingTrustAnyway = new SimpleBooleanProperty(false);
    private Path importPath;

    private final ObjectProperty<HfStage> hfStage = new SimpleObjectProperty<>(HfStage.NONE);
    private final StringProperty hfSource = new SimpleStringProperty("");
    private final ObservableList<VariantRow> variants = FXCollections.observableArrayList();
    private final ObjectProperty<VariantRow> chosenVariant = new SimpleObjectProperty<>();
    private final StringProperty hfChoice = new SimpleStringProperty("");
    private final StringProperty hfError = new SimpleStringProperty("");
    private final StringProperty hfResult = new SimpleStringProperty("");
    private final BooleanProperty chatGuidance = new SimpleBooleanProperty(false);
    private Path hfFolder;

    private final BooleanProperty reverifying = new SimpleBooleanProperty(false);
    private final StringProperty reverifyResult = new SimpleStringProperty("");
    private final ObjectProperty<Boolean> reverifyOk = new SimpleObjectProperty<>();
    private final BooleanProperty confirmingRemove = new SimpleBooleanProperty(false);
    private String reverifiedId;
    private final BooleanProperty busy = new SimpleBooleanProperty(false);

    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty progressText = new SimpleStringProperty("");
    private BackgroundTask<?> running;

    private final BooleanBinding hasSelection;
    private final BooleanBinding working;
    /** How this window downloads from a hub, or null where downloading is not offered. */
    private Function<UnlockedWorkspace, PackFetch> fetches;
    private URI hub = PackFetch.DEFAULT_HUB;
    private final BooleanProperty downloadOffered = new SimpleBooleanProperty(false);
    private final Consumer<AppSettings> settingsListener;

    public ModelsViewModel(VaultSessionState session, Packs packs, SettingsStore settings, BackgroundTasks tasks,
                           DialogService dialogs) {
        this.session = session;
        this.packs = packs;
        this.settings = settings;
        this.tasks = tasks;
        this.dialogs = dialogs;
        hasSelection = selected.isNotNull();
        working = Bindings.createBooleanBinding(() -> busy.get() || reverifying.get()
                || importStage.get() == ImportStage.VERIFYING || importStage.get() == ImportStage.INSTALLING
                || hfStage.get() == HfStage.READING || hfStage.get() == HfStage.IMPORTING,
                busy, reverifying, importStage, hfStage);
        lowPower.set(settings.get().lowPowerMode());
        lowPower.addListener((o, was, is) -> applyPowerMode(is));
        settingsListener = s -> onFx(() -> {
            lowPower.set(s.lowPowerMode());
            runtimeText.set(runtimeLine());
        });
        settings.addListener(settingsListener);
        selected.addListener((o, old, now) -> {
            confirmingRemove.set(false);
            // a refresh reselects the same pack (briefly passing through none): keep its result then
            if (now != null && !now.id().equals(reverifiedId)) {
                reverifyResult.set("");
                reverifyOk.set(null);
            }
        });
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                cancelRunning();
                dismissImport();
                dismissHuggingFace();
                message.set("");
            }
        });
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    private LocalStore store() {
        return session.unlockedProperty().get();
    }

    // ---------------------------------------------------------------- listing

    /** Reloads the list, the hardware profile and the runtime plan in the background. */
    public void refresh() {
        loading.set(true);
        tasks.task("List model packs", p -> new Listing(packs.overview().details(),
                        hardwareLine(packs.runtime().hardware()), runtimeLine(), packs.installation().defaultPackPending()))
                .onSuccess(listing -> {
                    String keep = selected.get() == null ? null : selected.get().id();
                    rows.setAll(listing.details().stream().map(Row::of).toList());
                    selected.set(rows.stream().filter(r -> r.id().equals(keep)).findFirst().orElse(null));
                    chatGuidance.set(rows.stream().noneMatch(r -> TEXT_GENERATION.equals(r.kind())));
                    hardwareText.set(listing.hardware());
                    runtimeText.set(listing.runtime());
                    defaultPending.set(listing.defaultPending());
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Models", "The installed model packs could not be listed.", e);
                })
                .andFinally(() -> loading.set(false))
                .start();
    }

    /** The kind of pack the assistant writes answers with. */
    static final String TEXT_GENERATION = "text-generation";

    private record Listing(List<PackDetails> details, String hardware, String runtime, boolean defaultPending) {
    }

    /** Installs the embedding pack bundled with this build (checked against its built-in digest; audited). */
    public void installBundled() {
        LocalStore store = store();
        if (store == null || working.get() || !defaultPending.get()) {
            return;
        }
        busy.set(true);
        BackgroundTask<InstallResult> task = tasks.task("Install the bundled pack",
                p -> packs.installation().installDefault(store, p));
        track(task);
        task.onSuccess(result -> {
                    running = null;
                    busy.set(false);
                    message.set("Installed " + result.pack().manifest().installDirName() + ", the embedding pack "
                            + "bundled with the workstation: search by meaning works again.");
                    refresh();
                })
                .onError(UserFacingException.class, e -> {
                    running = null;
                    busy.set(false);
                    message.set(PackFailureWords.of(e));
                })
                .onError(Throwable.class, e -> {
                    running = null;
                    busy.set(false);
                    dialogs.showError("Install", "The bundled pack could not be installed.", e);
                })
                .start();
    }

    static String hardwareLine(HardwareProfile hw) {
        String simd = hw.simdFeatures().isEmpty() ? "not reported" : String.join(", ", hw.simdFeatures());
        String memory = hw.totalMemoryBytes() < 0 ? "memory not reported"
                : MemoryFit.memory(hw.totalMemoryBytes()) + " memory, " + MemoryFit.memory(Math.max(0, hw.freeMemoryBytes()))
                + " free";
        return hw.logicalCores() + (hw.logicalCores() == 1 ? " core" : " cores") + "; vector instructions: " + simd
                + "; " + memory;
    }

    private String runtimeLine() {
        try {
            return "New models run on " + packs.runtime().runtimePlan() + ".";
        } catch (RuntimeException e) {
            return "ONNX Runtime is not available on this computer: " + e.getMessage();
        }
    }

    // ---------------------------------------------------------------- power mode

    private void applyPowerMode(boolean low) {
        AppSettings current = settings.get();
        if (current.lowPowerMode() == low) {
            return;
        }
        try {
            settings.save(current.withLowPowerMode(low));
            runtimeText.set(runtimeLine());
            if (current.inferenceThreads() > 0) {
                message.set((low ? "Low-power mode is on" : "Normal power mode") + ", but models keep the "
                        + current.inferenceThreads() + " threads set in Settings; leave the thread count empty there "
                        + "to let the power mode choose.");
                return;
            }
            message.set(low ? "Low-power mode is on: models use fewer threads. Loaded models reload with the new "
                    + "setting the next time they are used."
                    : "Normal power mode: models use every core. Loaded models reload with the new setting the next "
                    + "time they are used.");
        } catch (UserFacingException e) {
            lowPower.set(current.lowPowerMode());
            message.set(e.getMessage());
        }
    }

    // ---------------------------------------------------------------- import

    /**
     * Starts importing a {@code .mpack} file or a pack folder: verifies it in the background (progress, Cancel) and
     * shows the verdict; nothing is installed until {@link #installImported()} or {@link #confirmInstallAnyway()}.
     */
    public void importPack(Path source) {
        if (source == null || working.get()) {
            return;
        }
        if (store() == null) {
            message.set("Unlock the vault first: installing a pack is recorded in its audit log.");
            return;
        }
        Path path = source.toAbsolutePath().normalize();
        if (looksLikeHuggingFaceFolder(path)) {
            openHuggingFaceFolder(path);
            return;
        }
        String problem = importProblem(path);
        if (problem != null) {
            message.set(problem);
            return;
        }
        message.set("");
        importPath = path;
        importSource.set(path.toString());
        importVerdict.set("");
        importTrusted.set(false);
        importInstallable.set(false);
        confirmingTrustAnyway.set(false);
        importStage.set(ImportStage.VERIFYING);
        BackgroundTask<PackVerification> task = tasks.task("Verify model pack",
                p -> packs.installation().verify(path, List.of(), p));
        track(task);
        task.onSuccess(v -> {
                    Verdict verdict = v.verdict();
                    importTrusted.set(verdict.trusted());
                    importInstallable.set(verdict.status() != Verdict.Status.INVALID);
                    importVerdict.set(verdictAdvice(v));
                    importStage.set(ImportStage.VERDICT);
                })
                .onCancelled(() -> {
                    dismissImport();
                    message.set("Verification cancelled. Nothing was installed.");
                })
                .onError(UserFacingException.class, e -> {
                    dismissImport();
                    message.set(PackFailureWords.of(e));
                })
                .onError(Throwable.class, e -> {
                    dismissImport();
                    dialogs.showError("Import", "The pack could not be checked. Nothing was installed.", e);
                })
                .andFinally(() -> running = null)
                .start();
    }

    /** Why {@code path} cannot be imported as it is, or null. */
    static String importProblem(Path path) {
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.isRegularFile(path.resolve(PackLayout.MANIFEST))) {
                return null;
            }
            return path.getFileName() + " is a folder without a pack manifest (manifest.json), so it is not a model pack.";
        }
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return path + " is not a file or folder that can be read.";
        }
        if (!path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".mpack")) {
            return path.getFileName() + " is not a model pack: packs are .mpack files or pack folders.";
        }
        return null;
    }

    /** A folder without a pack manifest that holds ONNX models (at its root or in onnx/): a Hugging Face folder. */
    static boolean looksLikeHuggingFaceFolder(Path path) {
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
                || Files.isRegularFile(path.resolve(PackLayout.MANIFEST))) {
            return false;
        }
        return hasOnnx(path) || hasOnnx(path.resolve("onnx"));
    }

    private static boolean hasOnnx(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.onnx")) {
            return files.iterator().hasNext();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String verdictAdvice(PackVerification v) {
        String words = v.describe();
        return switch (v.verdict().status()) {
            case TRUSTED_PUBLISHER, COOPERATIVE_THRESHOLD -> words + " Every file matches. It can be installed.";
            case UNTRUSTED_SIGNATURE -> words + " Every file matches what the signer listed, but you have not said "
                    + "you trust this key. Install it only if you know where it came from.";
            case UNSIGNED -> words + " Nobody vouches for it: every file matches its own manifest, but anyone could "
                    + "have made it. Install it only if you know where it came from.";
            case INVALID -> words + " It cannot be installed.";
        };
    }

    /** Installs the verified pack when its signature is trusted; otherwise asks for the explicit confirmation. */
    public void installImported() {
        if (importStage.get() != ImportStage.VERDICT || !importInstallable.get()) {
            return;
        }
        if (importTrusted.get()) {
            install(false);
        } else {
            confirmingTrustAnyway.set(true);
        }
    }

    /** The person confirmed "Install anyway" for an unsigned or untrusted pack; recorded in the audit log. */
    public void confirmInstallAnyway() {
        if (confirmingTrustAnyway.get()) {
            confirmingTrustAnyway.set(false);
            install(true);
        }
    }

    public void cancelInstallAnyway() {
        confirmingTrustAnyway.set(false);
    }

    private void install(boolean trustAnyway) {
        LocalStore store = store();
        Path path = importPath;
        if (store == null || path == null) {
            return;
        }
        importStage.set(ImportStage.INSTALLING);
        BackgroundTask<InstallResult> task = tasks.task("Install model pack",
                p -> packs.installation().install(store, path, trustAnyway, p));
        track(task);
        task.onSuccess(result -> {
                    message.set("Installed " + result.pack().manifest().installDirName() + ". "
                            + (result.trustedAnyway() ? "You chose to trust it anyway; that choice is in the audit log."
                            : "Its signature is trusted."));
                    refresh();
                })
                .onCancelled(() -> {
                    message.set("Install cancelled. Nothing was installed.");
                })
                .onError(UserFacingException.class, e -> {
                    message.set(PackFailureWords.of(e) + " Nothing was installed.");
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Install", "The pack could not be installed. Nothing was changed.", e);
                })
                .andFinally(() -> {
                    running = null;
                    dismissImport();
                })
                .start();
    }

    /** Cancels a running verification or install, or closes the verdict without installing. */
    public void cancelImport() {
        if (importStage.get() == ImportStage.VERIFYING || importStage.get() == ImportStage.INSTALLING) {
            cancelRunning();
        } else {
            dismissImport();
        }
    }

    private void dismissImport() {
        importStage.set(ImportStage.NONE);
        importPath = null;
        importSource.set("");
        importVerdict.set("");
        confirmingTrustAnyway.set(false);
        progress.unbind(); // a task cancelled before it ran never ends "running"
        progressText.unbind();
        progress.set(0);
        progressText.set("");
    }

    // ---------------------------------------------------------------- a Hugging Face folder

    /**
     * Offers "Download from Hugging Face…": {@code fetches} makes the download use case for the unlocked workspace
     * (every connection goes through its egress guard, under a consent naming the hosts).
     */
    public void offerDownloads(Function<UnlockedWorkspace, PackFetch> fetches, URI hub) {
        this.fetches = fetches;
        this.hub = hub;
        downloadOffered.set(fetches != null);
    }

    /** Whether the screen offers downloading from a hub. */
    public BooleanProperty downloadOfferedProperty() {
        return downloadOffered;
    }

    /** A new download dialog's view-model (the dialog's window is the view's business). */
    public DownloadModelViewModel downloadDialog() {
        if (fetches == null) {
            throw new IllegalStateException("Downloads are not offered in this window.");
        }
        return new DownloadModelViewModel(session, fetches, tasks, hub);
    }

    /*
     * A Hugging Face folder reaches this screen from a folder chooser or a drop (openHuggingFaceFolder). An online
     * download belongs beside it: a downloadHuggingFace(...) action that fetches a repository into a folder (its own
     * stage and progress) and then calls openHuggingFaceFolder with that folder, so that the variant choice, the
     * hardware fit and the import below stay the same for both.
     */

    /**
     * Reads a Hugging Face ONNX folder in the background and lists its variants with their size and fit on this
     * computer, the best fit preselected; nothing is imported until {@link #importChosenVariant()}. A folder that
     * cannot be imported (no model, no tokenizer, a model split into several parts) is said inline.
     */
    public void openHuggingFaceFolder(Path folder) {
        if (folder == null || working.get()) {
            return;
        }
        if (store() == null) {
            message.set("Unlock the vault first: installing a model is recorded in its audit log.");
            return;
        }
        Path path = folder.toAbsolutePath().normalize();
        dismissImport();
        message.set("");
        hfFolder = path;
        hfSource.set(path.toString());
        variants.clear();
        chosenVariant.set(null);
        hfChoice.set("");
        hfError.set("");
        hfResult.set("");
        hfStage.set(HfStage.READING);
        BackgroundTask<FolderPreview> task = tasks.task("Read a Hugging Face folder", p -> {
            p.update(-1, 1, "Reading the folder and its ONNX models...");
            return packs.importer().preview(path, packs.runtime().hardware());
        });
        track(task);
        task.onSuccess(preview -> {
                    variants.setAll(preview.variants().stream().map(VariantRow::of).toList());
                    String preselected = preview.preselected().variant().key();
                    chosenVariant.set(variants.stream().filter(v -> v.key().equals(preselected)).findFirst()
                            .orElse(null));
                    hfChoice.set(choiceWords(preview));
                    hfStage.set(HfStage.CHOOSING);
                })
                .onCancelled(this::dismissHuggingFace)
                .onError(UserFacingException.class, e -> {
                    hfError.set(e.getMessage());
                    hfStage.set(HfStage.FAILED);
                })
                .onError(Throwable.class, e -> {
                    hfError.set("The folder could not be read. The log in the data folder has the details.");
                    hfStage.set(HfStage.FAILED);
                })
                .andFinally(() -> running = null)
                .start();
    }

    /** An import failure in plain words: a model the generation loop cannot run is said to be so first. */
    static String importFailureWords(String message) {
        if (message.startsWith("The model does not fit its kind") || message.contains("match neither")) {
            return "This model is not one the workstation can run: it runs decoder-only chat models exported to ONNX "
                    + "with a key/value cache (the onnx-community layout). What did not match: " + message;
        }
        return message;
    }

    private static String choiceWords(FolderPreview preview) {
        String reason = preview.choice().reason();
        return "Preselected: " + Character.toLowerCase(reason.charAt(0)) + reason.substring(1);
    }

    /**
     * Makes a pack of the chosen variant and installs it, in the background with progress and Cancel. The pack is
     * unsigned (it is made here, from the folder the person chose); the install is audited.
     */
    public void importChosenVariant() {
        VariantRow variant = chosenVariant.get();
        LocalStore store = store();
        Path folder = hfFolder;
        if (hfStage.get() != HfStage.CHOOSING || variant == null || !variant.usable() || store == null
                || folder == null || working.get()) {
            return;
        }
        hfError.set("");
        hfStage.set(HfStage.IMPORTING);
        BackgroundTask<PackInstallation.FolderInstall> task = tasks.task("Import a Hugging Face folder",
                p -> packs.installation().installFolder(store, folder, variant.key(), p));
        track(task);
        task.onSuccess(done -> {
                    String id = done.install().pack().manifest().installDirName();
                    boolean chat = done.install().pack().manifest().kind() == PackKind.TEXT_GENERATION;
                    hfResult.set("Installed " + id + " (variant " + done.variant().key() + ", "
                            + MemoryFit.size(done.variant().sizeBytes()) + ")."
                            + (chat ? " Choose it on the Assistant screen for written answers."
                            : " It is an embedding model, not a chat model.")
                            + " Nobody signed it: it was made on this computer from the folder you chose, and the "
                            + "install is recorded in the audit log.");
                    hfStage.set(HfStage.DONE);
                    refresh();
                })
                .onCancelled(() -> {
                    hfError.set("Import cancelled. Nothing was installed.");
                    hfStage.set(HfStage.CHOOSING);
                    refresh();
                })
                .onError(UserFacingException.class, e -> {
                    hfError.set(importFailureWords(e.getMessage()) + " Nothing was installed.");
                    hfStage.set(HfStage.CHOOSING);
                })
                .onError(Throwable.class, e -> {
                    hfError.set("The model could not be imported; nothing was installed. The log in the data folder "
                            + "has the details.");
                    hfStage.set(HfStage.CHOOSING);
                })
                .andFinally(() -> running = null)
                .start();
    }

    /** Stops reading or importing (nothing is installed), or closes the pane. */
    public void cancelHuggingFace() {
        if (hfStage.get() == HfStage.READING || hfStage.get() == HfStage.IMPORTING) {
            cancelRunning();
        } else {
            dismissHuggingFace();
        }
    }

    private void dismissHuggingFace() {
        hfStage.set(HfStage.NONE);
        hfFolder = null;
        hfSource.set("");
        variants.clear();
        chosenVariant.set(null);
        hfChoice.set("");
        hfError.set("");
        hfResult.set("");
    }

    // ---------------------------------------------------------------- re-verify, load, remove

    /** Re-hashes every file of the selected pack and re-checks its signature, in the background. */
    public void reverifySelected() {
        Row row = selected.get();
        if (row == null || working.get()) {
            return;
        }
        LocalStore store = store();
        reverifiedId = row.id();
        reverifying.set(true);
        reverifyResult.set("");
        reverifyOk.set(null);
        BackgroundTask<PackInstallation.ReverifyResult> task = tasks.task("Re-verify model pack",
                p -> packs.installation().reverify(row.id(), store, p));
        track(task);
        task.onSuccess(result -> {
                    reverifyOk.set(result.ok());
                    reverifyResult.set((result.ok() ? "Verified: " : "Failed: ") + result.message());
                    refresh();
                })
                .onCancelled(() -> {
                    reverifyResult.set("Re-verification cancelled; nothing was changed.");
                })
                .onError(UserFacingException.class, e -> {
                    reverifyOk.set(false);
                    reverifyResult.set(PackFailureWords.of(e));
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Re-verify", "The pack could not be re-verified.", e);
                })
                .andFinally(() -> {
                    running = null;
                    reverifying.set(false);
                })
                .start();
    }

    /** Cancels the re-verification. */
    public void cancelReverify() {
        if (reverifying.get()) {
            cancelRunning();
        }
    }

    /** Loads the selected pack now, to see how it runs (execution provider and threads). */
    public void loadSelected() {
        Row row = selected.get();
        if (row == null || working.get()) {
            return;
        }
        busy.set(true);
        progressText.set("Loading " + row.name() + "...");
        progress.set(-1);
        tasks.task("Load model", p -> packs.runtime().load(row.id()))
                .onSuccess(loaded -> {
                    message.set("Loaded " + loaded.describe() + ".");
                    refresh();
                })
                .onError(UserFacingException.class, e -> {
                    message.set(PackFailureWords.of(e));
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Load model", "The model could not be loaded.", e);
                })
                .andFinally(() -> {
                    busy.set(false);
                    progressText.set("");
                })
                .start();
    }

    /** First step of removing the selected pack: asks for confirmation inline. */
    public void requestRemove() {
        if (selected.get() != null && !working.get()) {
            confirmingRemove.set(true);
        }
    }

    public void cancelRemove() {
        confirmingRemove.set(false);
    }

    /** Removes the selected pack's folder (a model in use is unloaded when its task ends). */
    public void confirmRemove() {
        Row row = selected.get();
        confirmingRemove.set(false);
        if (row == null || working.get()) {
            return;
        }
        LocalStore store = store();
        if (store == null) {
            return;
        }
        busy.set(true);
        tasks.task("Remove model pack", p -> packs.installation().remove(store, row.id()))
                .onSuccess(id -> {
                    selected.set(null);
                    message.set("Removed " + id + " from this computer.");
                    refresh();
                })
                .onError(UserFacingException.class, e -> {
                    message.set(PackFailureWords.of(e));
                    refresh();
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Remove", "The pack could not be removed.", e);
                    refresh();
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    // ---------------------------------------------------------------- helpers

    private void track(BackgroundTask<?> task) {
        running = task;
        progress.unbind();
        progressText.unbind();
        progress.bind(task.progressProperty());
        progressText.bind(task.messageProperty());
        task.runningProperty().addListener((o, was, is) -> {
            if (!is) {
                progress.unbind();
                progressText.unbind();
                progressText.set("");
            }
        });
    }

    private void cancelRunning() {
        BackgroundTask<?> task = running;
        if (task != null) {
            task.cancel(false);
        }
    }

    /** Stops listening to settings (when the window goes away). */
    public void dispose() {
        settings.removeListener(settingsListener);
    }

    // ---------------------------------------------------------------- properties

    public ObservableList<Row> rows() {
        return rows;
    }

    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    public BooleanBinding hasSelectionProperty() {
        return hasSelection;
    }

    public BooleanBinding workingProperty() {
        return working;
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public StringProperty messageProperty() {
        return message;
    }

    public StringProperty hardwareTextProperty() {
        return hardwareText;
    }

    public StringProperty runtimeTextProperty() {
        return runtimeText;
    }

    /** True when this build bundles an embedding pack that is not installed. */
    public BooleanProperty defaultPendingProperty() {
        return defaultPending;
    }

    public BooleanProperty lowPowerProperty() {
        return lowPower;
    }

    public ObjectProperty<ImportStage> importStageProperty() {
        return importStage;
    }

    public StringProperty importSourceProperty() {
        return importSource;
    }

    public StringProperty importVerdictProperty() {
        return importVerdict;
    }

    public BooleanProperty importTrustedProperty() {
        return importTrusted;
    }

    public BooleanProperty importInstallableProperty() {
        return importInstallable;
    }

    public BooleanProperty confirmingTrustAnywayProperty() {
        return confirmingTrustAnyway;
    }

    public ObjectProperty<HfStage> hfStageProperty() {
        return hfStage;
    }

    /** The Hugging Face folder being read or imported. */
    public StringProperty hfSourceProperty() {
        return hfSource;
    }

    /** The variants of the Hugging Face folder, in listing order. */
    public ObservableList<VariantRow> variants() {
        return variants;
    }

    /** The variant to import: the best fit until the person chooses another. */
    public ObjectProperty<VariantRow> chosenVariantProperty() {
        return chosenVariant;
    }

    /** Why the preselected variant was preselected, in one sentence. */
    public StringProperty hfChoiceProperty() {
        return hfChoice;
    }

    /** What went wrong with the Hugging Face folder or its import, in plain words; empty otherwise. */
    public StringProperty hfErrorProperty() {
        return hfError;
    }

    /** What the import installed. */
    public StringProperty hfResultProperty() {
        return hfResult;
    }

    /** True once the packs are listed and none of them is a text-generation (chat) model. */
    public BooleanProperty chatGuidanceProperty() {
        return chatGuidance;
    }

    public BooleanProperty reverifyingProperty() {
        return reverifying;
    }

    public StringProperty reverifyResultProperty() {
        return reverifyResult;
    }

    /** True after a passing re-verification, false after a failing one, null otherwise. */
    public ObjectProperty<Boolean> reverifyOkProperty() {
        return reverifyOk;
    }

    public BooleanProperty confirmingRemoveProperty() {
        return confirmingRemove;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }

    /** The row for {@code id}, if listed. */
    public Row row(String id) {
        return rows.stream().filter(r -> Objects.equals(r.id(), id)).findFirst().orElse(null);
    }
}
