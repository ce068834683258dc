package org.sovereign.app.ui.mesh;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.mesh.MeshOverview;
import org.sovereign.store.LocalStore;

import java.nio.file.Path;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Mesh screen's state: whether this workstation joined a cooperative, what it holds of the members' logs, and who
 * witnessed its audit log, in plain words (read with {@link MeshOverview}). Holds state only; never touches controls.
 */
public final class MeshViewModel {
    /** What the screen says when this workstation has not joined a cooperative. */
    public static final String NOT_JOINED = "This workstation has not joined a cooperative. Nothing is sent to anyone: "
            + "a cooperative is joined only with an invitation from one of its stewards and your consent to share. "
            + "Until joining is offered here, a steward's invitation is accepted in a terminal with 'sovereign mesh join'.";

    /** One member's row as the table shows it. */
    public record Row(String member, String standing, String records, String checkpoint, String notes) {
    }

    private final VaultSessionState session;
    private final Path dataDirectory;
    private final BackgroundTasks tasks;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper witnesses = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper warning = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper joined = new ReadOnlyBooleanWrapper(false);

    public MeshViewModel(VaultSessionState session, Path dataDirectory, BackgroundTasks tasks) {
        this.session = session;
        this.dataDirectory = dataDirectory;
        this.tasks = tasks;
        session.unlockedProperty().addListener((obs, was, now) -> refresh());
        refresh();
    }

    /** Reads the cooperative's state again (in the background). */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            show(MeshOverview.notJoined());
            status.set("Unlock the vault to see the cooperative.");
            return;
        }
        tasks.task("Reading the cooperative", p -> MeshOverview.read(dataDirectory, store))
                .onSuccess(this::show)
                .onError(Throwable.class, e -> {
                    show(MeshOverview.notJoined());
                    status.set("The cooperative's records could not be read from the vault.");
                })
                .start();
    }

    private void show(MeshOverview o) {
        joined.set(o.cooperative().isPresent());
        rows.setAll(o.members().stream().map(MeshViewModel::row).toList());
        warning.set(o.rollback().map(r -> r + " Nothing more is published until this is resolved.").orElse(""));
        if (o.cooperative().isEmpty()) {
            status.set(NOT_JOINED);
            witnesses.set("");
            return;
        }
        status.set("Member of the cooperative '" + o.name().orElse(o.cooperative().get()) + "'. While the member runs it listens on "
                + "127.0.0.1:" + o.port() + " and contacts " + (o.knownPeers().isEmpty() ? "no known peer yet"
                : String.join(", ", o.knownPeers())) + ".");
        witnesses.set(o.ownPublished().map(size -> "Your audit log's latest published checkpoint (" + size
                + (size == 1 ? " entry" : " entries") + ") was witnessed by " + count(o.ownWitnesses()) + ".")
                .orElse("Your audit log has not been published to the cooperative yet; a running member publishes it, "
                        + "and the other members witness it."));
    }

    private static Row row(MeshOverview.Member m) {
        StringBuilder notes = new StringBuilder(m.self() ? "This workstation" : "");
        if (m.frozen()) {
            append(notes, "frozen: it signed two different records at one place (both kept as evidence)");
        }
        m.forks().forEach(f -> append(notes, "its audit log: " + f));
        return new Row(m.shortId(), m.state().isEmpty() ? "accepted (no genesis held)" : m.state(),
                Long.toString(m.records()),
                m.checkpoint().map(size -> size + " entries, witnessed by " + count(m.witnessedBy())).orElse("none"),
                notes.toString());
    }

    private static void append(StringBuilder notes, String text) {
        notes.append(notes.length() == 0 ? "" : "; ").append(text);
    }

    private static String count(int members) {
        return members == 0 ? "no other member yet" : members + (members == 1 ? " member" : " members");
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty witnessesProperty() {
        return witnesses.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty warningProperty() {
        return warning.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty joinedProperty() {
        return joined.getReadOnlyProperty();
    }
}
