package org.sovereign.app.ui.vault;

import org.sovereign.app.ui.dialogs.PackFailureWords;
import org.sovereign.app.ui.tasks.BackgroundTask;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.store.LocalStore;

import java.util.Locale;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * First run, right after the vault is created: installs the embedding pack bundled with this build (the built-in
 * search model) in the background with progress, checking every file against the manifest digest built into this
 * program. On failure or Skip the person may try again or continue without it (search then uses keywords only).
 * Holds state only; never touches controls.
 */
public final class DefaultPackStepViewModel {

    /** What the step is doing. */
    public enum Phase { INSTALLING, INSTALLED, NOT_INSTALLED }

    public static final String SEMANTIC_SEARCH_OFF = "Semantic search is off: the built-in search model is not "
            + "installed, so the library and the assistant find passages by their words only.";

    private final Packs packs;
    private final BackgroundTasks tasks;
    private final VaultSessionState session;
    private final Runnable onDone;

    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.INSTALLING);
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("");
    private final StringProperty error = new SimpleStringProperty("");
    private BackgroundTask<InstallResult> current;

    /**
     * @param onDone called on the FX thread when the person goes on to the workstation (installed or not)
     */
    public DefaultPackStepViewModel(Packs packs, BackgroundTasks tasks, VaultSessionState session, Runnable onDone) {
        this.packs = packs;
        this.tasks = tasks;
        this.session = session;
        this.onDone = onDone;
    }

    /** The plain explanation shown while installing. */
    public String explanation() {
        long bytes = packs.installation().defaultPackSize().orElse(-1L);
        String size = bytes > 0 ? " (" + Math.max(1, Math.round(bytes / 1_000_000.0)) + " MB)" : "";
        return "Installing the built-in search model" + size + " and checking every file against the fingerprint "
                + "built into this program. It lets the assistant find passages by meaning, not only by their words. "
                + "It runs on this computer; nothing is downloaded.";
    }

    /** Starts (or restarts) the install. */
    public void install() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null || running.get()) {
            return;
        }
        error.set("");
        phase.set(Phase.INSTALLING);
        BackgroundTask<InstallResult> task = tasks.task("Install the built-in search model", p -> {
                    p.update(0, 1, "Starting...");
                    return packs.installation().installDefault(store, new Progress() {
                        @Override
                        public void update(long done, long total, String message) {
                            p.update(done, total, String.format(Locale.ROOT, "Copied and checked %.1f of %.1f MB",
                                    done / 1e6, total / 1e6));
                        }

                        @Override
                        public boolean isCancelled() {
                            return p.isCancelled();
                        }
                    });
                })
                .onSuccess(r -> finish(Phase.INSTALLED, "The built-in search model "
                        + r.pack().manifest().installDirName() + " is installed and verified: the assistant can find "
                        + "passages by meaning, on this computer.", ""))
                .onCancelled(() -> {
                    if (packs.installation().defaultPackPending()) {
                        finish(Phase.NOT_INSTALLED, "", "The built-in search model was not installed "
                                + "(you stopped it). " + SEMANTIC_SEARCH_OFF);
                    } else { // Stop came after the last step: it is installed after all
                        finish(Phase.INSTALLED, "The built-in search model is installed and verified.", "");
                    }
                })
                .onError(UserFacingException.class, e -> finish(Phase.NOT_INSTALLED, "",
                        "The built-in search model could not be installed: " + PackFailureWords.of(e) + " " + SEMANTIC_SEARCH_OFF))
                .onError(Throwable.class, e -> finish(Phase.NOT_INSTALLED, "",
                        "The built-in search model could not be installed (details are in the log). " + SEMANTIC_SEARCH_OFF));
        current = task;
        running.set(true);
        progress.bind(task.progressProperty());
        status.bind(task.messageProperty());
        task.start();
    }

    /** Stops the install; the packs folder is left as it was. */
    public void cancel() {
        if (current != null && running.get()) {
            current.cancel();
        }
    }

    /** Goes on to the workstation (with or without the model). */
    public void continueToWorkstation() {
        if (!running.get()) {
            onDone.run();
        }
    }

    private void finish(Phase result, String message, String problem) {
        progress.unbind();
        status.unbind();
        running.set(false);
        current = null;
        progress.set(result == Phase.INSTALLED ? 1 : 0);
        status.set(message);
        error.set(problem);
        phase.set(result);
    }

    public ReadOnlyObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running;
    }

    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status;
    }

    public ReadOnlyStringProperty errorProperty() {
        return error;
    }
}
