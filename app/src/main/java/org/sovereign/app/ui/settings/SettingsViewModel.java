package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTask;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.core.services.DoctorReport;
import org.sovereign.packs.runtime.HardwareProfile;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings: where data lives, the system check (the same checks as {@code sovereign doctor}) run in the
 * background with progress and Cancel, the preferences kept in {@code settings.json} (auto-lock, power mode and
 * threads, Argon2 cost), changing the passphrase, the network use (the egress ledger), and the local API with its clients. Holds state only; never touches controls.
 */
public final class SettingsViewModel {

    private final Workstation context;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;

    private final ObservableList<DoctorReport.Check> checks = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty status = new SimpleStringProperty("The system check has not run yet.");
    private BackgroundTask<DoctorReport> current;

    private final VaultSessionState session;
    private final Preferences preferences;
    private final PassphraseChange passphraseChange;
    private final NetworkUse networkUse;
    private final LocalApiSection localApi;

    public SettingsViewModel(Workstation context, BackgroundTasks tasks, DialogService dialogs, VaultSessionState session) {
        this(context, tasks, dialogs, session, HardwareProfile.detect());
    }

    /** With the hardware profile the thread count is computed from (tests pass a fixed one). */
    public SettingsViewModel(Workstation context, BackgroundTasks tasks, DialogService dialogs, VaultSessionState session,
                             HardwareProfile hardware) {
        this.context = context;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.session = session;
        this.preferences = new Preferences(context.settings(), hardware);
        this.passphraseChange = new PassphraseChange(session, tasks, () -> context.settings().get());
        this.networkUse = new NetworkUse(session, tasks, java.time.ZoneId.systemDefault());
        this.localApi = new LocalApiSection(session, context.packs(), tasks, java.time.Clock.systemDefaultZone());
    }

    /** The local API: its switch, address and status, and the programs that may use it. */
    public LocalApiSection localApi() {
        return localApi;
    }

    /** The egress ledger: every network connection ever made, from the audit log. */
    public NetworkUse networkUse() {
        return networkUse;
    }

    /** The preferences form (auto-lock, power, threads, Argon2). */
    public Preferences preferences() {
        return preferences;
    }

    /** The change-passphrase form. */
    public PassphraseChange passphraseChange() {
        return passphraseChange;
    }

    /** The device's public key fingerprint, for people to compare (empty while locked). */
    public StringBinding deviceFingerprint() {
        return Bindings.createStringBinding(() -> session.isUnlocked()
                ? session.unlockedProperty().get().deviceIdentity().fingerprint() : "", session.unlockedProperty());
    }

    /** The audit log's verifier key: what an auditor needs to check proofs (empty while locked). */
    public StringBinding auditLogKey() {
        return Bindings.createStringBinding(() -> session.isUnlocked()
                ? session.unlockedProperty().get().audit().logKey().encode() : "", session.unlockedProperty());
    }

    public String dataDirectory() {
        return context.dataDirectory().path().toString();
    }

    public String logFile() {
        return context.logFile().toString();
    }

    public String version() {
        return context.version();
    }

    /** Starts the system check unless one is running. */
    public void runSystemCheck() {
        if (running.get()) {
            return;
        }
        checks.clear();
        BackgroundTask<DoctorReport> task = tasks.task("System check", p -> context.doctor().run(p))
                .onSuccess(report -> finish(report.ready()
                        ? "Ready: this computer has everything the workstation needs."
                        : "Not ready: " + report.problems().size() + " problem(s) below need attention.", report))
                .onCancelled(() -> finish("The system check was cancelled. Nothing was changed.", null))
                .onError(Throwable.class, e -> {
                    finish("The system check could not finish.", null);
                    dialogs.showError("System check", "The system check stopped before it finished. "
                            + "The workstation itself is unaffected.", e);
                });
        current = task;
        running.set(true);
        progress.bind(task.progressProperty());
        status.bind(task.messageProperty());
        task.start();
    }

    public void cancelSystemCheck() {
        if (current != null && running.get()) {
            current.cancel();
        }
    }

    /** Runs on the FX thread when the task ends in any way. */
    private void finish(String message, DoctorReport report) {
        progress.unbind();
        status.unbind();
        running.set(false);
        status.set(message);
        if (report != null) {
            checks.setAll(report.checks());
            progress.set(1);
        }
        current = null;
    }

    public ObservableList<DoctorReport.Check> checks() {
        return checks;
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
}
