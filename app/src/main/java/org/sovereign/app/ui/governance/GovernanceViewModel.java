package org.sovereign.app.ui.governance;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.mesh.MemberGovernance;
import org.sovereign.mesh.governance.Closing;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceException;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.Tally;
import org.sovereign.store.LocalStore;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Governance screen's state: the cooperative's proposals with their state and result, and this member's
 * quadratic vote on the selected one (the cost, n squared per option, and the credits left, as the sliders move).
 * Holds state only; never touches controls.
 */
public final class GovernanceViewModel {
    /** What the screen says when this workstation belongs to no cooperative. */
    public static final String NOT_JOINED = "Governance needs a cooperative. Once this workstation founds or joins "
            + "one, its proposals, your votes and the results every member can recompute appear here.";
    /** The most votes on one option the sliders offer (100 credits buy 10 votes on one option). */
    public static final int MAX_VOTES = 10;

    /** One proposal as the table shows it. */
    public record Row(String id, String text, String kind, String state, String result) {
    }

    /** One option of the selected proposal and the votes this member puts on it (negative: against). */
    public record OptionVote(String option, IntegerProperty votes) {
    }

    private final VaultSessionState session;
    private final Path dataDirectory;
    private final BackgroundTasks tasks;
    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final ObservableList<OptionVote> options = FXCollections.observableArrayList();
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final ReadOnlyStringWrapper status = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper cost = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canVote = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper joined = new ReadOnlyBooleanWrapper(false);
    private MemberGovernance governance;

    public GovernanceViewModel(VaultSessionState session, Path dataDirectory, BackgroundTasks tasks) {
        this.session = session;
        this.dataDirectory = dataDirectory;
        this.tasks = tasks;
        selected.addListener((o, was, now) -> showOptions(now));
        session.unlockedProperty().addListener((obs, was, now) -> refresh());
        refresh();
    }

    /** Reads the cooperative's records again (in the background). */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            show(Optional.empty());
            status.set("Unlock the vault to see the cooperative's proposals.");
            return;
        }
        tasks.task("Reading the cooperative's proposals", p -> MemberGovernance.open(dataDirectory, store))
                .onSuccess(this::show)
                .onError(Throwable.class, e -> {
                    show(Optional.empty());
                    status.set("The cooperative's records could not be read from the vault.");
                })
                .start();
    }

    private void show(Optional<MemberGovernance> opened) {
        governance = opened.orElse(null);
        joined.set(governance != null);
        String keep = selected.get() == null ? null : selected.get().id();
        if (governance == null) {
            rows.clear();
            status.set(NOT_JOINED);
            return;
        }
        Governance g = governance.governance();
        rows.setAll(g.proposals().values().stream().sorted(Comparator.comparing(Proposal::closeAfter)
                .thenComparing(Proposal::id)).map(p -> row(g, p)).toList());
        status.set("Cooperative '" + governance.name() + "': " + rows.size() + (rows.size() == 1 ? " proposal" : " proposals")
                + ". " + (governance.isMember() ? "Each proposal gives you " + g.policy().credits() + " voice credits; n "
                + "votes on an option cost n times n." : "This workstation is not an admitted member yet, so it cannot vote."));
        rows.stream().filter(r -> r.id().equals(keep)).findFirst().ifPresentOrElse(selected::set, () -> selected.set(null));
        showOptions(selected.get());
    }

    private static Row row(Governance g, Proposal p) {
        Closing closing = g.closing(p.id());
        String state = switch (closing.state()) {
            case OPEN -> "open";
            case CLOSED -> "closed";
            case CONFLICT -> "two different closes (neither counts)";
        };
        Tally tally = closing.result().orElseGet(() -> g.tally(p.id()));
        String totals = tally.totals().entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
        String result = closing.state() == Closing.State.CLOSED
                ? tally.winner().map(w -> "'" + w + "' won (" + totals + ")").orElse("no winner (" + totals + ")")
                : "so far: " + (tally.uses().isEmpty() ? "no votes" : totals);
        return new Row(p.id(), p.text(), p.kind().wireName(), state, result);
    }

    private void showOptions(Row row) {
        options.clear();
        message.set("");
        if (row == null || governance == null) {
            updateCost();
            return;
        }
        Proposal p = governance.governance().proposals().get(row.id());
        for (String option : p.options()) {
            IntegerProperty votes = new SimpleIntegerProperty(0);
            votes.addListener((o, was, now) -> updateCost());
            options.add(new OptionVote(option, votes));
        }
        updateCost();
    }

    private void updateCost() {
        Row row = selected.get();
        if (row == null || governance == null) {
            cost.set("");
            canVote.set(false);
            return;
        }
        long spent = options.stream().mapToLong(o -> (long) o.votes().get() * o.votes().get()).sum();
        int credits = governance.credits(row.id());
        cost.set("Cost: " + spent + " of " + credits + " voice credits; " + (credits - spent) + " left.");
        canVote.set(governance.isMember() && "open".equals(row.state()) && spent <= credits);
    }

    /** Signs and stores this member's vote on the selected proposal (in the background). */
    public void vote() {
        Row row = selected.get();
        if (row == null || governance == null || !canVote.get()) {
            return;
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        options.forEach(o -> votes.put(o.option(), o.votes().get()));
        Proposal p = governance.governance().proposals().get(row.id());
        MemberGovernance g = governance;
        tasks.task("Signing your vote", progress -> g.vote(p, votes))
                .onSuccess(r -> {
                    show(Optional.of(g));
                    message.set("Your vote is signed and stored; it reaches the other members with your log, and "
                            + "it counts if a close by the stewards includes it. Voting again replaces it.");
                })
                .onError(GovernanceException.class, e -> message.set(e.getMessage()))
                .onError(Throwable.class, e -> message.set("The vote could not be stored."))
                .start();
    }

    public ObservableList<Row> rows() {
        return rows;
    }

    public ObservableList<OptionVote> options() {
        return options;
    }

    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    public ReadOnlyStringProperty statusProperty() {
        return status.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty costProperty() {
        return cost.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canVoteProperty() {
        return canVote.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty joinedProperty() {
        return joined.getReadOnlyProperty();
    }

    /** For tests and the view: the options as a list of names. */
    List<String> optionNames() {
        return options.stream().map(OptionVote::option).toList();
    }
}
