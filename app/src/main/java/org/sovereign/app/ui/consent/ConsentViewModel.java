package org.sovereign.app.ui.consent;

import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.Withdrawal;
import org.sovereign.core.files.AtomicFiles;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentEvent;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.consent.Operation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * Consent: every consent in the vault with its exact notice and history, withdrawal (one click plus one
 * confirmation), receipt export and receipt verification. Reads the unlocked store from the session at each use,
 * because locking and unlocking replaces it. Holds state only; never touches controls.
 */
public final class ConsentViewModel {

    /** Which consents the table shows. */
    public enum Filter {
        ACTIVE("Active"), WITHDRAWN("Withdrawn"), EXPIRED("Expired"), ALL("All");

        private final String label;

        Filter(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One consent as the table shows it: plain text, formatted once. */
    public record Row(String recordId, String purposes, String sources, String operations, String validUntil,
                      String status, Filter group, String notice, List<String> events) {
    }

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);
    static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

    private static final DateTimeFormatter SHORT_DAY =
            DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH);
    private final VaultSessionState session;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;
    private final Clock clock;

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FilteredList<Row> shown = new FilteredList<>(rows, r -> r.group() == Filter.ACTIVE);
    private final ObjectProperty<Filter> filter = new SimpleObjectProperty<>(Filter.ACTIVE);
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final ObservableList<String> selectedEvents = FXCollections.observableArrayList();
    private final StringProperty selectedId = new SimpleStringProperty("");
    private final StringProperty selectedNotice = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty confirmingWithdrawal = new SimpleBooleanProperty(false);
    private final BooleanProperty eraseOnWithdraw = new SimpleBooleanProperty(false);
    private final StringProperty message = new SimpleStringProperty("");
    private final StringProperty receiptResult = new SimpleStringProperty("");
    private final BooleanBinding canWithdraw;
    private final BooleanBinding canExport;
    private final ConsentGrantViewModel grantForm;

    public ConsentViewModel(VaultSessionState session, BackgroundTasks tasks, DialogService dialogs, Clock clock) {
        this.session = session;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.clock = clock;
        filter.addListener((o, old, now) -> shown.setPredicate(r -> now == Filter.ALL || r.group() == now));
        selected.addListener((o, old, row) -> {
            confirmingWithdrawal.set(false);
            selectedId.set(row == null ? "" : row.recordId());
            selectedNotice.set(row == null ? "" : row.notice());
            selectedEvents.setAll(row == null ? List.of() : row.events());
        });
        canExport = Bindings.createBooleanBinding(() -> selected.get() != null && !busy.get(), selected, busy);
        canWithdraw = Bindings.createBooleanBinding(
                () -> selected.get() != null && !busy.get() && selected.get().group() == Filter.ACTIVE, selected, busy);
        grantForm = new ConsentGrantViewModel(session, tasks, dialogs, clock, h -> {
            message.set("Consent for " + String.join(", ", h.terms().purposes()) + " given, signed and recorded in the audit log.");
            filter.set(Filter.ACTIVE);
            selectedId.set(h.recordId());
            refresh();
        });
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                grantForm.closeForm();
                rows.clear(); // nothing from the vault stays on screen or in memory once it is locked
                message.set("");
                receiptResult.set("");
            }
        });
    }

    /** Reloads every consent from the unlocked vault, keeping the selection where it can. */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            return;
        }
        busy.set(true);
        tasks.task("Load consents", p -> {
                    Instant now = clock.instant();
                    return store.consent().all().stream()
                            .sorted(Comparator.comparing((ConsentHistory h) -> h.events().get(0).time()).reversed())
                            .map(h -> row(h, now)).toList();
                })
                .onSuccess(loaded -> {
                    show(loaded);
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Consent", "The consents in your vault could not be read.", e);
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    private void show(List<Row> loaded) {
        String keep = selectedId.get();
        rows.setAll(loaded);
        selected.set(null);
        loaded.stream().filter(r -> r.recordId().equals(keep) && shown.contains(r)).findFirst().ifPresent(selected::set);
    }

    private Row row(ConsentHistory h, Instant now) {
        var t = h.terms();
        ConsentStatus status = h.statusAt(now);
        Filter group = switch (status) {
            case GIVEN, RENEWED -> Filter.ACTIVE;
            case WITHDRAWN -> Filter.WITHDRAWN;
            case EXPIRED -> Filter.EXPIRED;
        };
        String word = switch (status) {
            case GIVEN -> now.isBefore(t.validFrom()) ? "given, not yet valid" : "active";
            case RENEWED -> "active (renewed)";
            case WITHDRAWN -> "withdrawn " + SHORT_DAY.format(h.latest().time().atZone(ZoneId.systemDefault()));
            case EXPIRED -> "expired";
        };
        List<String> events = h.events().stream().map(ConsentViewModel::event).toList();
        return new Row(h.recordId(), String.join(", ", t.purposes()), String.join(", ", t.sources()),
                String.join(", ", t.operations().stream().sorted().map(Operation::jsonName).toList()),
                DAY_TIME.format(t.validUntil().atZone(ZoneId.systemDefault())), word, group, t.notice(), events);
    }

    private static String event(ConsentEvent e) {
        return format(e.time()) + "   " + e.status().name().toLowerCase(Locale.ROOT);
    }

    static String format(Instant time) {
        return TIME.format(time.atZone(ZoneId.systemDefault()));
    }

    /** First step of a withdrawal: asks for confirmation of the selected consent. */
    public void requestWithdrawal() {
        if (canWithdraw.get()) {
            confirmingWithdrawal.set(true);
        }
    }

    public void cancelWithdrawal() {
        confirmingWithdrawal.set(false);
    }

    /** Withdraws the selected consent; from the next check on it covers nothing. */
    public void confirmWithdrawal() {
        LocalStore store = session.unlockedProperty().get();
        Row row = selected.get();
        confirmingWithdrawal.set(false);
        if (store == null || row == null || !canWithdraw.get()) {
            return;
        }
        busy.set(true);
        UnlockedWorkspace workspace = session.workspace();
        boolean erase = eraseOnWithdraw.get();
        eraseOnWithdraw.set(false);
        tasks.task("Withdraw consent", p -> workspace.consents().withdraw(row.recordId(), erase))
                .onSuccess(done -> {
                    message.set("Consent for " + row.purposes() + " was withdrawn. It covers nothing from now on; "
                            + "the withdrawal is signed and in the audit log." + erasedNote(done));
                    filter.set(Filter.WITHDRAWN);
                    selectedId.set(row.recordId());
                    refresh();
                    session.consentsChanged();
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Withdraw consent", "The consent could not be withdrawn. It is unchanged.", e);
                    refresh();
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    private static String erasedNote(Withdrawal done) {
        StringBuilder note = new StringBuilder();
        if (!done.erased().isEmpty()) {
            note.append(" Erased from the library, for good: ").append(String.join(", ",
                    done.erased().stream().map(Path::toString).toList())).append('.');
        }
        if (!done.kept().isEmpty()) {
            note.append(" Kept, because another consent covers it: ").append(String.join(", ",
                    done.kept().stream().map(Path::toString).toList())).append('.');
        }
        return note.toString();
    }

    /** Whether confirming the withdrawal also erases what the library stored under the consent (off by default). */
    public BooleanProperty eraseOnWithdrawProperty() {
        return eraseOnWithdraw;
    }

    /** Writes a self-verifying receipt of the selected consent to {@code target} (replacing it atomically). */
    public void exportReceipt(Path target) {
        LocalStore store = session.unlockedProperty().get();
        Row row = selected.get();
        if (store == null || row == null) {
            return;
        }
        busy.set(true);
        tasks.task("Export consent receipt", p -> {
                    AtomicFiles.write(target, ConsentReceipt.export(store.consent().history(row.recordId())));
                    return target;
                })
                .onSuccess(path -> {
                    message.set("Receipt written to " + path.toAbsolutePath() + ". Anyone can check it with "
                            + "Verify a receipt here or on another workstation.");
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Export receipt", "The receipt could not be written to " + target + ".", e);
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** Checks a receipt file on its own (signatures, chain, replay rules) and states the result in plain words. */
    public void verifyReceipt(Path file) {
        LocalStore store = session.unlockedProperty().get();
        Instant now = clock.instant();
        receiptResult.set("Checking " + file.getFileName() + "...");
        tasks.task("Verify consent receipt", p -> {
                    String ours = store == null ? null : ConsentReceipt.fingerprint(store.deviceIdentity().publicKey());
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (IOException e) {
                        throw new UserFacingException("The file " + file + " cannot be read.", e);
                    }
                    try {
                        ConsentReceipt.Verified v = ConsentReceipt.verify(bytes, now);
                        String who = v.signerFingerprint().equals(ours)
                                ? "Signed by this workstation (device " + v.signerFingerprint() + ")."
                                : "Signed by device " + v.signerFingerprint() + ", which is NOT this workstation"
                                + (ours == null ? "." : " (this one is " + ours + ").");
                        return "Valid receipt: " + file.getFileName() + " is consent " + v.recordId() + " with "
                                + v.events().size() + " signed event(s); status now "
                                + v.statusAtCheck().name().toLowerCase(Locale.ROOT) + ". " + who;
                    } catch (InvalidConsentException e) {
                        return "Not a valid receipt: " + e.getMessage();
                    }
                })
                .onSuccess(receiptResult::set)
                .onError(UserFacingException.class, e -> receiptResult.set(e.getMessage()))
                .onError(Throwable.class, e -> receiptResult.set("Not a valid receipt: the file could not be read as one."))
                .start();
    }


    /** The suggested file name for the selected consent's receipt. */
    public String suggestedReceiptName() {
        Row row = selected.get();
        return "consent-" + (row == null ? "receipt" : row.recordId()) + ".json";
    }

    /** The "Give consent" form. */
    public ConsentGrantViewModel grantForm() {
        return grantForm;
    }

    public ObservableList<Row> shownConsents() {
        return shown;
    }

    public ObjectProperty<Filter> filterProperty() {
        return filter;
    }

    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    public ObservableList<String> selectedEvents() {
        return selectedEvents;
    }

    public ReadOnlyStringProperty selectedIdProperty() {
        return selectedId;
    }

    public ReadOnlyStringProperty selectedNoticeProperty() {
        return selectedNotice;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyBooleanProperty confirmingWithdrawalProperty() {
        return confirmingWithdrawal;
    }

    public BooleanBinding canWithdrawProperty() {
        return canWithdraw;
    }

    public BooleanBinding canExportProperty() {
        return canExport;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyStringProperty receiptResultProperty() {
        return receiptResult;
    }

    /** How many consents fall into {@code group}, for the filter buttons. */
    public StringBinding filterLabel(Filter group) {
        return Bindings.createStringBinding(() -> group.label() + " ("
                + (group == Filter.ALL ? rows.size() : rows.stream().filter(r -> r.group() == group).count()) + ")", rows);
    }
}
