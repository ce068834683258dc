package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.Packs;
import org.sovereign.server.ApiServer;
import org.sovereign.server.ClientStatus;
import org.sovereign.server.LocalApi;

import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings' "Local API" section: the switch that serves the OpenAI-compatible API from this window (on 127.0.0.1
 * only), its port, address and status in plain words, and the programs registered to use it (listed, registered with
 * {@link ApiClientForm}, revoked after a confirmation). The server stops when switched off, and before the vault locks
 * (the window closing locks it too). Holds state only; never touches controls.
 */
public final class LocalApiSection {

    /** What the section says about itself. */
    public static final String EXPLANATION = "Programs on this computer (an editor, a notes app, a script) can use your "
            + "models through an address that speaks the OpenAI API. Each program gets its own key, bound to a consent "
            + "that says what it may do and until when; every call is recorded in the audit log, without its text. "
            + "Started from this window, it listens on this computer only, and it stops when you switch it off or the "
            + "vault locks (also after the idle time set above, and when the window closes).";
    static final String STOPPED = "Stopped: no program can reach the local API.";
    static final String STOPPED_BY_LOCK = "Stopped when the vault locked.";

    /**
     * One program as the table shows it.
     *
     * @param id       the client's id (to revoke it; not shown)
     * @param mayCall  whether it may call now (revocable)
     */
    public record ClientRow(String id, String name, String allows, String until, String status, boolean mayCall) {
    }

    private record Listing(List<ClientStatus> clients, List<ModelRuntime.PackRef> packs, List<Path> folders) {
    }

    private final VaultSessionState session;
    private final Packs packs;
    private final BackgroundTasks tasks;
    private final Clock clock;
    private final ApiClientForm form;
    private LocalApi api;

    private final BooleanProperty serving = new SimpleBooleanProperty(false);
    private final StringProperty port = new SimpleStringProperty(Integer.toString(ApiServer.DEFAULT_PORT));
    private final ReadOnlyStringWrapper portProblem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper(STOPPED);
    private final ReadOnlyStringWrapper address = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final ObservableList<ClientRow> clients = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper clientsMessage = new ReadOnlyStringWrapper("");
    private final ObjectProperty<ClientRow> revoking = new SimpleObjectProperty<>();
    private final BooleanBinding canSwitch;

    public LocalApiSection(VaultSessionState session, Packs packs, BackgroundTasks tasks, Clock clock) {
        this.session = session;
        this.packs = packs;
        this.tasks = tasks;
        this.clock = clock;
        // a new program's consent shows on the Consent screen, and this list reads it again
        this.form = new ApiClientForm(() -> api, tasks, clock, name -> session.consentsChanged());
        port.addListener((o, was, now) -> portProblem.set(portProblem(now)));
        canSwitch = Bindings.createBooleanBinding(() -> !busy.get() && (serving.get() || portProblem.get().isEmpty()),
                busy, serving, portProblem);
        serving.addListener((o, was, on) -> {
            if (on) {
                start();
            } else {
                stop();
            }
        });
        session.beforeLock(this::locking);
        session.workspaceProperty().addListener((o, was, now) -> opened(now));
        session.consentChangesProperty().addListener((o, was, now) -> refresh());
        opened(session.workspace());
    }

    /** What is wrong with {@code text} as a port, as a sentence; empty when it is one. */
    static String portProblem(String text) {
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 1 && n <= 65_535) {
                return "";
            }
        } catch (NumberFormatException e) {
            // below
        }
        return "The port is a whole number from 1 to 65535 (" + ApiServer.DEFAULT_PORT + " unless another program "
                + "uses it).";
    }

    private void opened(UnlockedWorkspace workspace) {
        if (workspace != null && api == null) {
            api = new LocalApi(workspace, packs);
            refresh();
        }
    }

    /** The vault is about to lock: stop serving while its keys still work, and forget what was shown. */
    private void locking(UnlockedWorkspace workspace) {
        LocalApi closing = api;
        api = null;
        boolean wasServing = closing != null && closing.baseUrl().isPresent();
        if (closing != null) {
            closing.close();
        }
        serving.set(false);
        address.set("");
        status.set(wasServing ? STOPPED_BY_LOCK : STOPPED);
        clients.clear();
        clientsMessage.set("");
        revoking.set(null);
        form.reset();
    }

    private void start() {
        LocalApi target = api;
        String problem = portProblem(port.get());
        if (target == null || !problem.isEmpty()) {
            status.set(target == null ? "Unlock the vault to start the local API." : "Could not start: " + problem);
            Platform.runLater(() -> serving.set(false)); // once this change has reached every listener
            return;
        }
        int chosen = Integer.parseInt(port.get().strip());
        busy.set(true);
        status.set("Starting on port " + chosen + "…");
        tasks.task("Starting the local API", p -> target.start(ApiServer.Options.loopback(chosen)))
                .andFinally(() -> busy.set(false))
                .onSuccess(url -> {
                    address.set(url);
                    status.set("Running at " + url.substring(0, url.length() - "/v1".length()) + ".");
                    if (!serving.get()) {
                        stop(); // switched off while it started
                    }
                })
                .onError(UserFacingException.class, e -> failed(lowerFirst(e.getMessage())))
                .onError(Throwable.class, e -> failed("the workstation's log has the details."))
                .start();
    }

    private void failed(String why) {
        serving.set(false);
        address.set("");
        status.set("Could not start: " + why);
    }

    private static String lowerFirst(String sentence) {
        return sentence.isEmpty() ? sentence : sentence.substring(0, 1).toLowerCase(Locale.ROOT) + sentence.substring(1);
    }

    private void stop() {
        LocalApi target = api;
        if (target == null || busy.get() || target.baseUrl().isEmpty()) {
            return;
        }
        busy.set(true);
        status.set("Stopping: open answers get their end first…");
        tasks.task("Stopping the local API", p -> {
                    target.stop();
                    return null;
                })
                .andFinally(() -> busy.set(false))
                .onSuccess(x -> {
                    address.set("");
                    status.set(STOPPED);
                    if (serving.get()) {
                        start(); // switched on again while it stopped
                    }
                })
                .onError(Throwable.class, e -> status.set("The local API could not stop cleanly; the workstation's log "
                        + "has the details."))
                .start();
    }

    /** Reads the programs, the models and the library folders again (in the background). */
    public void refresh() {
        LocalApi target = api;
        UnlockedWorkspace workspace = session.workspace();
        if (target == null || workspace == null) {
            return;
        }
        tasks.task("Reading the local API's programs", p -> new Listing(target.clientStatuses(), target.packs(),
                        new ArrayList<>(workspace.libraryWithoutModel().sources().keySet())))
                .onSuccess(read -> {
                    Map<String, String> names = read.packs().stream()
                            .collect(Collectors.toMap(ModelRuntime.PackRef::digest, ModelRuntime.PackRef::name, (a, b) -> a));
                    clients.setAll(read.clients().stream().map(c -> row(c, names)).toList());
                    form.offer(read.packs(), read.folders());
                })
                .onError(Throwable.class, e -> clientsMessage.set("The registered programs could not be read."))
                .start();
    }

    private ClientRow row(ClientStatus c, Map<String, String> packNames) {
        DateTimeFormatter day = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH).withZone(clock.getZone());
        String state = switch (c.state()) {
            case MAY_CALL -> "may call";
            case REVOKED -> "revoked on " + day.format(c.client().revoked());
            case CONSENT_WITHDRAWN -> "its consent was withdrawn";
            case CONSENT_ENDED -> "its consent ended";
            case CONSENT_UNREADABLE -> "its consent cannot be read";
        };
        return new ClientRow(c.client().id(), c.client().name(),
                c.allowedWords(d -> packNames.getOrDefault(d, "a model no longer installed")),
                c.validUntil() == null ? "" : day.format(c.validUntil()), state, c.mayCall());
    }

    /** Asks to revoke {@code row}: nothing happens until {@link #confirmRevoke()}. */
    public void askRevoke(ClientRow row) {
        clientsMessage.set("");
        revoking.set(row != null && row.mayCall() ? row : null);
    }

    public void cancelRevoke() {
        revoking.set(null);
    }

    /** Revokes the program asked about: its key stops working at once and its consent is withdrawn. */
    public void confirmRevoke() {
        ClientRow row = revoking.get();
        LocalApi target = api;
        revoking.set(null);
        if (row == null || target == null) {
            return;
        }
        tasks.task("Revoking a program", p -> target.clients().revoke(row.id()))
                .onSuccess(c -> {
                    clientsMessage.set("Revoked '" + c.name() + "': its key no longer works and its consent is withdrawn.");
                    session.consentsChanged();
                })
                .onError(UserFacingException.class, e -> clientsMessage.set(e.getMessage()))
                .onError(Throwable.class, e -> clientsMessage.set("The program could not be revoked; the workstation's "
                        + "log has the details."))
                .start();
    }

    /** The question the confirmation asks (empty when none is pending). */
    public StringBinding revokeQuestion() {
        return Bindings.createStringBinding(() -> {
            ClientRow row = revoking.get();
            return row == null ? "" : "Revoke '" + row.name() + "'? Its key stops working at once and its consent is "
                    + "withdrawn. This cannot be undone; register the program again to give it a new key.";
        }, revoking);
    }

    /** The switch: on serves, off stops. */
    public BooleanProperty servingProperty() {
        return serving;
    }

    /** Whether the switch may be moved now (not while starting or stopping, nor on with a wrong port). */
    public BooleanBinding canSwitchProperty() {
        return canSwitch;
    }

    public StringProperty portProperty() {
        return port;
    }

    /** What is wrong with the port, as a sentence (empty when nothing is). */
    public ReadOnlyStringProperty portProblemProperty() {
        return portProblem.getReadOnlyProperty();
    }

    /** Stopped, running at its address, or why it could not start. */
    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** The base URL programs are given (e.g. {@code http://127.0.0.1:8765/v1}); empty while stopped. */
    public ReadOnlyStringProperty addressProperty() {
        return address.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public ObservableList<ClientRow> clients() {
        return clients;
    }

    /** The outcome of the last revocation, or why the list could not be read. */
    public ReadOnlyStringProperty clientsMessageProperty() {
        return clientsMessage.getReadOnlyProperty();
    }

    /** The program whose revocation waits for confirmation, or null. */
    public ObjectProperty<ClientRow> revokingProperty() {
        return revoking;
    }

    public ApiClientForm form() {
        return form;
    }
}
