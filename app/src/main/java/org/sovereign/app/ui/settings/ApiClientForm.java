package org.sovereign.app.ui.settings;

import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.server.ApiClients;
import org.sovereign.server.LocalApi;
import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Settings' form that registers a program for the local API: its name, which models, what it may do (generate,
 * embed, ask about which library folders) and for how many days; then its key, shown once. Registering signs the
 * consent the program is bound to ({@link ApiClients#add}, as {@code sovereign serve clients add} does). Holds state
 * only; never touches controls.
 */
public final class ApiClientForm {

    /** The consent's length unless the person changes it. */
    public static final int DEFAULT_DAYS = 90;
    /** What the person reads beside a new key. */
    public static final String SHOWN_ONCE = "Copy this key into the program's settings now: it is shown only this once "
            + "and will not be shown again. If it is lost, revoke the program and register it again.";

    /**
     * One tickable item of a list (a model or a library folder).
     *
     * @param <T> what ticking it chooses
     */
    public static final class Choice<T> {
        private final String label;
        private final T value;
        private final BooleanProperty selected = new SimpleBooleanProperty(false);

        Choice(String label, T value) {
            this.label = label;
            this.value = value;
        }

        public String label() {
            return label;
        }

        public T value() {
            return value;
        }

        public BooleanProperty selectedProperty() {
            return selected;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    private final Supplier<LocalApi> api;
    private final BackgroundTasks tasks;
    private final Clock clock;
    private final Consumer<String> added;

    private final StringProperty name = new SimpleStringProperty("");
    private final BooleanProperty generate = new SimpleBooleanProperty(true);
    private final BooleanProperty embed = new SimpleBooleanProperty(false);
    private final BooleanProperty ask = new SimpleBooleanProperty(false);
    private final StringProperty days = new SimpleStringProperty(Integer.toString(DEFAULT_DAYS));
    private final ObservableList<Choice<String>> packs = FXCollections.observableArrayList(
            c -> new Observable[] {c.selectedProperty()});
    private final ObservableList<Choice<Path>> sources = FXCollections.observableArrayList(
            c -> new Observable[] {c.selectedProperty()});
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper until = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper newKey = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper newKeyFor = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    private final BooleanBinding canAdd;

    /**
     * @param api   the local API of the unlocked vault (null while locked)
     * @param added called on the FX thread with the name of each program registered
     */
    public ApiClientForm(Supplier<LocalApi> api, BackgroundTasks tasks, Clock clock, Consumer<String> added) {
        this.api = api;
        this.tasks = tasks;
        this.clock = clock;
        this.added = added;
        ask.addListener((o, was, is) -> {
            if (is) {
                generate.set(true); // asking writes its answer with a model
            }
        });
        generate.addListener((o, was, is) -> {
            if (!is) {
                ask.set(false);
            }
        });
        for (Observable input : List.<Observable>of(name, generate, embed, ask, days, sources)) {
            input.addListener(o -> check());
        }
        canAdd = Bindings.createBooleanBinding(() -> problem.get().isEmpty() && !name.get().isBlank() && !busy.get(),
                problem, name, busy);
        check();
    }

    /** Offers {@code models} (installed, whole) and {@code folders} (the library's sources) to choose from. */
    void offer(List<ModelRuntime.PackRef> models, List<Path> folders) {
        packs.setAll(models.stream().map(p -> new Choice<>(p.name() + " (" + kindWords(p.kind()) + ")", p.digest()))
                .toList());
        sources.setAll(folders.stream().map(f -> new Choice<>(f.toString(), f)).toList());
    }

    private static String kindWords(String kind) {
        return switch (kind) {
            case "text-generation" -> "writes text";
            case "embedding" -> "embeddings";
            default -> kind;
        };
    }

    /** The inline check: a plain sentence about what is missing or wrong, empty when it can be registered. */
    private void check() {
        until.set("");
        Integer n = days();
        if (!generate.get() && !embed.get()) {
            problem.set("Choose at least one thing the program may do.");
        } else if (ask.get() && sources.stream().noneMatch(c -> c.selectedProperty().get())) {
            problem.set(sources.isEmpty() ? "The library has no folder yet: add one on the Library screen to let a "
                    + "program ask about it." : "Tick at least one library folder the program may ask about.");
        } else if (n == null) {
            problem.set("Enter how many days it may call, from 1 to " + GrantRequest.MAX_DAYS + ".");
        } else {
            problem.set("");
        }
        if (n != null) {
            until.set("Until " + DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
                    .format(clock.instant().plus(Duration.ofDays(n)).atZone(clock.getZone())) + ".");
        }
    }

    private Integer days() {
        try {
            int n = Integer.parseInt(days.get().strip());
            return n >= 1 && n <= GrantRequest.MAX_DAYS ? n : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Registers the program (in the background); its key then shows once in {@link #newKeyProperty()}. */
    public void add() {
        LocalApi target = api.get();
        if (!canAdd.get() || target == null) {
            return;
        }
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        if (generate.get()) {
            ops.add(Operation.GENERATE);
        }
        if (embed.get()) {
            ops.add(Operation.EMBED);
        }
        List<String> digests = packs.stream().filter(c -> c.selectedProperty().get()).map(Choice::value).toList();
        List<Path> folders = ask.get()
                ? sources.stream().filter(c -> c.selectedProperty().get()).map(Choice::value).toList() : List.of();
        ApiClients.ClientGrant grant = new ApiClients.ClientGrant(name.get(), ops, digests, folders, days());
        busy.set(true);
        error.set("");
        tasks.task("Registering a program", p -> {
                    ApiClients.Registration r = target.clients().add(grant);
                    try {
                        return new String[] {r.client().name(), new String(r.key())};
                    } finally {
                        r.wipe();
                    }
                })
                .andFinally(() -> busy.set(false))
                .onSuccess(shown -> {
                    newKeyFor.set(shown[0]);
                    newKey.set(shown[1]);
                    clearInputs();
                    added.accept(shown[0]);
                })
                .onError(UserFacingException.class, e -> error.set(e.getMessage()))
                .onError(Throwable.class, e -> error.set("The program could not be registered; the workstation's log "
                        + "has the details."))
                .start();
    }

    private void clearInputs() {
        name.set("");
        generate.set(true);
        embed.set(false);
        ask.set(false);
        days.set(Integer.toString(DEFAULT_DAYS));
        packs.forEach(c -> c.selectedProperty().set(false));
        sources.forEach(c -> c.selectedProperty().set(false));
    }

    /** The person copied (or chose not to copy) the key: it is forgotten. */
    public void dismissKey() {
        newKey.set("");
        newKeyFor.set("");
    }

    /** Forgets everything typed and any key shown (the vault locked). */
    void reset() {
        dismissKey();
        clearInputs();
        error.set("");
        packs.clear();
        sources.clear();
    }

    public StringProperty nameProperty() {
        return name;
    }

    public BooleanProperty generateProperty() {
        return generate;
    }

    public BooleanProperty embedProperty() {
        return embed;
    }

    /** Asking about library folders ({@code POST /v1/sovereign/ask}); it comes with generating. */
    public BooleanProperty askProperty() {
        return ask;
    }

    public StringProperty daysProperty() {
        return days;
    }

    /** The installed models; none ticked allows any installed model. */
    public ObservableList<Choice<String>> packs() {
        return packs;
    }

    /** The library's folders, for asking. */
    public ObservableList<Choice<Path>> sources() {
        return sources;
    }

    /** What is wrong with the form, as a sentence (empty when nothing is). */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** The day the consent would end, as a sentence. */
    public ReadOnlyStringProperty untilProperty() {
        return until.getReadOnlyProperty();
    }

    /** Why the last registration failed (empty otherwise). */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The key of the program just registered, until {@link #dismissKey()}; empty otherwise. */
    public ReadOnlyStringProperty newKeyProperty() {
        return newKey.getReadOnlyProperty();
    }

    /** The name of the program whose key {@link #newKeyProperty()} holds. */
    public ReadOnlyStringProperty newKeyForProperty() {
        return newKeyFor.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public BooleanBinding canAddProperty() {
        return canAdd;
    }
}
