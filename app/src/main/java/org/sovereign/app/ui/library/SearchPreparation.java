package org.sovereign.app.ui.library;

import org.sovereign.app.ui.tasks.BackgroundTask;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.store.LocalStore;
import org.sovereign.store.vault.VaultLockedException;

import java.util.concurrent.CancellationException;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * Loads the library's vectors into memory in the background as soon as the vault is unlocked (see ADR-0007), so
 * that the first search by meaning usually finds them ready; a search issued meanwhile waits for the load and then
 * uses it. While it runs, {@link #statusProperty()} holds a plain line with the percentage, which the Library and
 * Assistant screens show. Locking cancels the load (what it read is wiped). One per window; FX thread only.
 * Holds state only; never touches controls.
 */
public final class SearchPreparation {

    private final BackgroundTasks tasks;
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper preparing = new ReadOnlyBooleanWrapper(false);
    private BackgroundTask<Void> running;

    private final VaultSessionState session;

    public SearchPreparation(VaultSessionState session, BackgroundTasks tasks) {
        this.session = session;
        this.tasks = tasks;
        session.unlockedProperty().addListener((o, old, store) -> {
            cancel(); // before the store closes, so the load stops at its next row
            if (store != null) {
                start(store);
            }
        });
        if (session.isUnlocked()) {
            start(session.unlockedProperty().get());
        }
    }

    /** "Preparing search over your library... 40 %" while the vectors load; empty otherwise. */
    public static String line(double fraction) {
        return LibraryService.preparingSearchLine(fraction);
    }

    private void start(LocalStore store) {
        UnlockedWorkspace workspace = session.workspace();
        if (workspace == null || workspace.store() != store) {
            return;
        }
        preparing.set(true);
        status.set("");
        BackgroundTask<Void> task = tasks.task("Prepare library search", p -> {
            try {
                workspace.libraryWithoutModel().loadVectors(new Progress() {
                    @Override
                    public void update(long done, long total, String message) {
                        if (total > 0) { // an empty library has nothing to prepare, and shows nothing
                            p.update(done, total, message);
                        }
                    }

                    @Override
                    public boolean isCancelled() {
                        return p.isCancelled();
                    }
                });
            } catch (VaultLockedException locked) {
                throw new CancellationException("The vault was locked"); // not a failure: locking stops the load
            }
            return null;
        });
        running = task;
        task.progressProperty().addListener((o, old, now) -> {
            if (running == task && now.doubleValue() >= 0) {
                status.set(line(now.doubleValue()));
            }
        });
        task.onSuccess(v -> finished(task))
                .onCancelled(() -> finished(task))
                .onError(Throwable.class, e -> finished(task)) // logged once by the task; the search loads on its own
                .start();
    }

    private void finished(BackgroundTask<Void> task) {
        if (running == task) {
            running = null;
            preparing.set(false);
            status.set("");
        }
    }

    private void cancel() {
        BackgroundTask<Void> task = running;
        running = null;
        preparing.set(false);
        status.set("");
        if (task != null) {
            task.cancel(false); // no interrupt in the middle of a database read; the load polls between rows
        }
    }

    /** The plain progress line while the vectors load, empty otherwise. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** True while the vectors load after an unlock. */
    public ReadOnlyBooleanProperty preparingProperty() {
        return preparing.getReadOnlyProperty();
    }
}
