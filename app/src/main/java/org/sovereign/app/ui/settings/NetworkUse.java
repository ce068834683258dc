package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.egress.EgressLedgerView;
import org.sovereign.core.egress.EgressLedgerView.Connection;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings' "Network use" section: the egress ledger ({@link EgressLedgerView}), every connection the workstation
 * ever made, accepted or refused, read from the audit log when the vault is unlocked and on request. Holds state
 * only; never touches controls.
 */
public final class NetworkUse {

    /** What the section says about itself. */
    public static final String EXPLANATION = "The workstation opens a network connection only through one guard that "
            + "checks it against your consent and writes it to the audit log first. This list is read from the audit "
            + "log: every connection ever made, with what it was for, where it went, how many bytes went each way and "
            + "what allowed it. Refused ones opened nothing.";

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm:ss", Locale.ENGLISH);

    /**
     * One connection as the table shows it.
     *
     * @param refused whether nothing allowed it (so nothing was opened)
     */
    public record Row(String when, String direction, String purpose, String destination, String bytes, String basis,
                      boolean refused) {
    }

    private final VaultSessionState session;
    private final BackgroundTasks tasks;
    private final ZoneId zone;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final StringProperty summary = new SimpleStringProperty("");

    public NetworkUse(VaultSessionState session, BackgroundTasks tasks, ZoneId zone) {
        this.session = session;
        this.tasks = tasks;
        this.zone = zone;
        session.unlockedProperty().addListener((obs, was, now) -> refresh());
        refresh();
    }

    /** Reads the ledger again (in the background); while the vault is locked, says so and shows nothing. */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            rows.clear();
            summary.set("Unlock the vault to see the network use recorded in its audit log.");
            return;
        }
        tasks.task("Reading the network use", p -> rows(store))
                .onSuccess(read -> {
                    rows.setAll(read);
                    long refused = read.stream().filter(Row::refused).count();
                    summary.set(read.isEmpty() ? EgressLedgerView.NEVER_USED
                            : (read.size() - refused) + " connection(s) recorded, " + refused
                            + " refused (nothing was opened for those).");
                })
                .onError(Throwable.class, e -> {
                    rows.clear();
                    summary.set("The network use could not be read from the audit log.");
                })
                .start();
    }

    private List<Row> rows(LocalStore store) {
        return EgressLedgerView.read(store.audit()).stream().map(c -> row(store, c)).toList();
    }

    private Row row(LocalStore store, Connection c) {
        String destination = c.peer().isEmpty() ? c.destination() : "from " + c.peer() + " to " + c.destination();
        return new Row(WHEN.format(c.time().atZone(zone)), c.kind().words(), c.purpose(), destination, c.bytesText(),
                c.basisText(id -> consentName(store, id)), c.refused());
    }

    /** A consent by what it is for and the day it was given (its id is for the Consent screen). */
    private String consentName(LocalStore store, String id) {
        try {
            ConsentHistory history = store.consent().history(id);
            return "your consent for '" + String.join(", ", history.terms().purposes()) + "' of "
                    + DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
                    .format(history.events().get(0).time().atZone(zone));
        } catch (RuntimeException e) {
            return "a consent this vault no longer holds";
        }
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }
}
