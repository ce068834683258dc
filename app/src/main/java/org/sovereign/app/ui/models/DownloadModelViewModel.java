package org.sovereign.app.ui.models;

import org.sovereign.app.ui.tasks.BackgroundTask;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.packs.PackFetch;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.store.consent.Operation;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
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
 * The "Download a model" dialog: a Hugging Face repository name, its variants with the default for this machine,
 * the download with progress and Cancel, and, when no consent lets the workstation contact the hub, the consent it
 * needs (its exact notice shown) given only when the person presses Allow. Holds state only; never touches controls.
 */
public final class DownloadModelViewModel {

    /** Where the dialog is. */
    public enum Stage { START, CHOOSING, CONSENT, DOWNLOADING, DONE }

    /** How long a consent given here lasts. */
    static final int CONSENT_DAYS = 30;

    private final VaultSessionState session;
    private final Function<UnlockedWorkspace, PackFetch> fetches;
    private final BackgroundTasks tasks;
    private final URI hub;

    private final StringProperty repo = new SimpleStringProperty("");
    private final ObjectProperty<Stage> stage = new SimpleObjectProperty<>(Stage.START);
    private final ObservableList<ModelVariant> variants = FXCollections.observableArrayList();
    private final ObjectProperty<ModelVariant> chosen = new SimpleObjectProperty<>();
    private final StringProperty defaultReason = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty consentNotice = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty progressText = new SimpleStringProperty("");
    private List<String> hostsToAllow = List.of();
    private boolean downloadAfterConsent;
    private BackgroundTask<?> running;

    /**
     * @param fetches the fetch use case for an unlocked workspace
     * @param hub     the hub's address ({@link PackFetch#DEFAULT_HUB} in the product)
     */
    public DownloadModelViewModel(VaultSessionState session, Function<UnlockedWorkspace, PackFetch> fetches,
                                  BackgroundTasks tasks, URI hub) {
        this.session = session;
        this.fetches = fetches;
        this.tasks = tasks;
        this.hub = hub;
    }

    /** Lists the repository's variants (downloading only its small files) and preselects the default. */
    public void look() {
        UnlockedWorkspace workspace = session.workspace();
        PackFetch.Request request = request(workspace, null);
        if (request == null) {
            return;
        }
        start("Looking up " + request.repo(), tasks.task("Look up a model", p -> fetches.apply(workspace).plan(request, p))
                .onSuccess(plan -> {
                    variants.setAll(plan.variants());
                    chosen.set(plan.choice().variant());
                    defaultReason.set("Suggested: " + plan.choice().reason());
                    message.set(request.repo() + " has " + plan.variants().size() + (plan.variants().size() == 1
                            ? " variant." : " variants."));
                    stage.set(Stage.CHOOSING);
                }), false);
    }

    /** Downloads the chosen variant, checks every file and installs the pack. */
    public void download() {
        UnlockedWorkspace workspace = session.workspace();
        ModelVariant v = chosen.get();
        PackFetch.Request request = request(workspace, v == null ? null : v.key());
        if (request == null) {
            return;
        }
        stage.set(Stage.DOWNLOADING);
        start("Downloading " + request.repo(), tasks.task("Download a model", p -> fetches.apply(workspace).fetch(request, p))
                .onSuccess(r -> {
                    message.set("Installed " + r.installed().pack().manifest().installDirName() + " ("
                            + ModelVariant.bytes(r.bytes()) + ", every file matching the hub's digest). It has no "
                            + "publisher signature; the audit log records that you chose to trust it.");
                    stage.set(Stage.DONE);
                })
                .onCancelled(() -> {
                    message.set("Stopped. What arrived is kept; Download resumes it.");
                    stage.set(Stage.CHOOSING);
                }), true);
    }

    /** Gives the consent shown in {@link #consentNoticeProperty()}, then carries on where the dialog stopped. */
    public void allow() {
        UnlockedWorkspace workspace = session.workspace();
        if (workspace == null || stage.get() != Stage.CONSENT) {
            return;
        }
        try {
            workspace.consents().grant(consentRequest());
        } catch (UserFacingException e) {
            message.set(e.getMessage());
            return;
        }
        session.consentsChanged();
        stage.set(Stage.START);
        if (downloadAfterConsent) {
            download();
        } else {
            look();
        }
    }

    /** Stops the running lookup or download (what arrived is kept). */
    public void cancel() {
        if (running != null) {
            running.cancel();
        }
    }

    private GrantRequest consentRequest() {
        return new GrantRequest(List.of(NetworkPurposes.PACK_FETCH), Set.of(Operation.SHARE), List.of(), hostsToAllow,
                List.of(), CONSENT_DAYS, null);
    }

    private PackFetch.Request request(UnlockedWorkspace workspace, String variant) {
        if (workspace == null) {
            message.set("Unlock the vault first.");
            return null;
        }
        if (busy.get()) {
            return null;
        }
        try {
            return PackFetch.Request.parse(repo.get(), variant, hub);
        } catch (UserFacingException e) {
            message.set(e.getMessage());
            return null;
        }
    }

    private <T> void start(String what, BackgroundTask<T> task, boolean downloading) {
        busy.set(true);
        message.set(what + "...");
        progress.set(-1);
        progressText.bind(task.messageProperty());
        progress.bind(task.progressProperty());
        running = task;
        task.andFinally(() -> {
            busy.set(false);
            progressText.unbind();
            progress.unbind();
            running = null;
        }).onError(PackFetch.ConsentNeeded.class, e -> {
            hostsToAllow = e.suggestedHosts();
            downloadAfterConsent = downloading;
            consentNotice.set(consentRequest().noticeText());
            message.set(e.getMessage());
            stage.set(Stage.CONSENT);
        }).onError(UserFacingException.class, e -> {
            message.set(e.getMessage());
            stage.set(downloading ? Stage.CHOOSING : Stage.START);
        }).onError(Exception.class, e -> {
            message.set("The download failed unexpectedly; the log has the details.");
            stage.set(downloading ? Stage.CHOOSING : Stage.START);
        }).start();
    }

    public StringProperty repoProperty() {
        return repo;
    }

    public ObjectProperty<Stage> stageProperty() {
        return stage;
    }

    public ObservableList<ModelVariant> variants() {
        return variants;
    }

    public ObjectProperty<ModelVariant> chosenProperty() {
        return chosen;
    }

    public StringProperty defaultReasonProperty() {
        return defaultReason;
    }

    public StringProperty messageProperty() {
        return message;
    }

    /** The exact text of the consent {@link #allow()} gives. */
    public StringProperty consentNoticeProperty() {
        return consentNotice;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    public DoubleProperty progressProperty() {
        return progress;
    }

    public StringProperty progressTextProperty() {
        return progressText;
    }
}
