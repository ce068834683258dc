package org.sovereign.app.ui.consent;

import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.consent.Consents;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The "Give consent" form: purpose, operations, sources and how many days, and the notice text built from them
 * exactly as it will be signed. Bad input is stated inline and Give stays disabled. Never touches controls.
 */
public final class ConsentGrantViewModel {

    static final int MAX_DAYS = 3650;
    /** Why "share" cannot be chosen here: the window has no cooperative (mesh) screen yet. */
    static final String SHARE_UNAVAILABLE = "Sharing with a cooperative's mesh of devices is not set up in this window "
            + "yet; the command line's mesh commands do it, each with a consent of its own.";

    private final VaultSessionState session;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;
    private final Clock clock;
    private final Consumer<ConsentHistory> granted;

    private final BooleanProperty open = new SimpleBooleanProperty(false);
    private final StringProperty purpose = new SimpleStringProperty("");
    private final Map<Operation, BooleanProperty> operations = new EnumMap<>(Operation.class);
    private final ObservableList<Path> sources = FXCollections.observableArrayList();
    private final StringProperty validDays = new SimpleStringProperty("365");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    /** Set once the person changes something on the opened form: only then is a problem worth saying. */
    private final BooleanProperty touched = new SimpleBooleanProperty(false);
    private final StringBinding problem;
    private final StringBinding shownProblem;
    private final StringBinding notice;
    private final BooleanBinding canGive;

    ConsentGrantViewModel(VaultSessionState session, BackgroundTasks tasks, DialogService dialogs, Clock clock,
                          Consumer<ConsentHistory> granted) {
        this.session = session;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.clock = clock;
        this.granted = granted;
        for (Operation op : Operation.values()) {
            operations.put(op, new SimpleBooleanProperty(defaultOn(op)));
        }
        // the window has no mesh screen yet: "share" stays off whatever is set
        operations.get(Operation.SHARE).addListener((o, was, is) -> {
            if (is && !shareAvailable()) {
                operations.get(Operation.SHARE).set(false);
            }
        });
        Observable[] inputs = {purpose, sources, validDays, operations.get(Operation.INDEX),
                operations.get(Operation.EMBED), operations.get(Operation.GENERATE), operations.get(Operation.SHARE)};
        for (Observable input : inputs) {
            input.addListener(changed -> touched.set(true));
        }
        problem = Bindings.createStringBinding(this::findProblem, inputs);
        shownProblem = Bindings.createStringBinding(() -> touched.get() ? problem.get() : "", problem, touched);
        notice = Bindings.createStringBinding(() -> findProblem().isEmpty() ? noticeText() : "", inputs);
        canGive = Bindings.createBooleanBinding(() -> problem.get().isEmpty() && !busy.get(), problem, busy);
    }

    private String findProblem() {
        if (purpose.get() == null || purpose.get().isBlank()) {
            return "Say what the consent is for (the purpose).";
        }
        if (selectedOperations().isEmpty()) {
            return "Choose at least one thing the workstation may do.";
        }
        if (sources.isEmpty()) {
            return "Add at least one folder or file the consent covers.";
        }
        int days = days();
        if (days < 1 || days > MAX_DAYS) {
            return "Valid for: a whole number of days from 1 to " + MAX_DAYS + ".";
        }
        return "";
    }

    private int days() {
        try {
            return Integer.parseInt(validDays.get().strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private Set<Operation> selectedOperations() {
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        operations.forEach((op, on) -> {
            if (on.get()) {
                ops.add(op);
            }
        });
        return ops;
    }

    /** The consent the form describes (valid only while {@link #findProblem()} is empty). */
    private GrantRequest request() {
        return new GrantRequest(List.of(purpose.get().strip()), selectedOperations(), List.copyOf(sources), List.of(), days());
    }

    private String noticeText() {
        return request().noticeText();
    }

    /** Index, embed (search by meaning) and generate: what the assistant needs; never share. */
    private static boolean defaultOn(Operation op) {
        return op == Operation.INDEX || op == Operation.EMBED || op == Operation.GENERATE;
    }

    /** Whether "share" may be chosen: not while the window has no mesh screen to share over. */
    public boolean shareAvailable() {
        return false;
    }

    /** Opens the form; a problem is stated only once the person changes something on it. */
    public void openForm() {
        open.set(true);
        touched.set(false);
    }

    public void closeForm() {
        open.set(false);
    }

    /** Adds a folder or file (made absolute and normalised, as the consent gate compares them). */
    public void addSource(Path source) {
        Path normal = source.toAbsolutePath().normalize();
        if (!sources.contains(normal)) {
            sources.add(normal);
        }
    }

    public void removeSource(Path source) {
        sources.remove(source);
    }

    /** Signs and stores the consent with exactly the notice shown. */
    public void give() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null || !canGive.get()) {
            return;
        }
        GrantRequest request = request().withNotice(notice.get()); // exactly the text shown
        busy.set(true);
        tasks.task("Give consent", p -> new Consents(session.workspace().store(), clock).grant(request))
                .onSuccess(h -> {
                    open.set(false);
                    purpose.set("");
                    sources.clear();
                    operations.forEach((op, on) -> on.set(defaultOn(op)));
                    touched.set(false);
                    granted.accept(h);
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Give consent", "The consent could not be recorded. Nothing was given.", e);
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    public ReadOnlyBooleanProperty openProperty() {
        return open;
    }

    public StringProperty purposeProperty() {
        return purpose;
    }

    public BooleanProperty operationProperty(Operation op) {
        return operations.get(op);
    }

    public ObservableList<Path> sources() {
        return sources;
    }

    public StringProperty validDaysProperty() {
        return validDays;
    }

    /** What is missing or wrong, as one sentence; empty when the consent can be given. */
    public StringBinding problemProperty() {
        return problem;
    }

    /**
     * {@link #problemProperty()} once the person has changed something on the form; empty before, so an untouched
     * form does not open with an error.
     */
    public StringBinding shownProblemProperty() {
        return shownProblem;
    }

    /** The exact notice that will be signed; empty while the form is incomplete. */
    public StringBinding noticeProperty() {
        return notice;
    }

    public BooleanBinding canGiveProperty() {
        return canGive;
    }
}
