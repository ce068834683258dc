package org.sovereign.app.ui.audit;

import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.files.AtomicFiles;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import javafx.scene.chart.XYChart;

/**
 * Audit: the log's entries (filterable), entries per day by type, a full verification against the signed
 * checkpoints that re-reads the vault file, and offline inclusion proofs for single entries. Reads the unlocked
 * store from the session at each use. Holds state only; never touches controls.
 */
public final class AuditViewModel {

    /** The type filter's value that shows every type. */
    public static final String ALL_TYPES = "All types";
    /** At most this many of the newest entries are loaded into the table and chart. */
    static final int MAX_SHOWN = 10_000;
    /** The chart shows at most this many days (the latest that have entries). */
    static final int CHART_DAYS = 30;

    /** One entry as the table shows it. */
    public record Row(long sequence, String time, String type, String actor, String refs) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd", Locale.ROOT);

    private record Loaded(long size, List<AuditEntry> entries, String key) {
    }

    private final VaultSessionState session;
    private final StoreService storeService;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;
    private final ZoneId zone;

    private final ObservableList<Row> rows = FXCollections.observableArrayList();
    private final FilteredList<Row> shown = new FilteredList<>(rows);
    private final ObservableList<String> types = FXCollections.observableArrayList(ALL_TYPES);
    private final ObservableList<XYChart.Series<String, Number>> perDay = FXCollections.observableArrayList();
    private final StringProperty typeFilter = new SimpleStringProperty(ALL_TYPES);
    private final StringProperty textFilter = new SimpleStringProperty("");
    private final ObjectProperty<Row> selected = new SimpleObjectProperty<>();
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty logKey = new SimpleStringProperty("");
    private final BooleanProperty verifying = new SimpleBooleanProperty(false);
    private final DoubleProperty verifyProgress = new SimpleDoubleProperty(0);
    private final StringProperty verifyResult = new SimpleStringProperty("The log has not been verified on this screen yet.");
    private final ObjectProperty<Boolean> verifyHolds = new SimpleObjectProperty<>();
    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final StringProperty proofMessage = new SimpleStringProperty("");
    private final BooleanProperty exporting = new SimpleBooleanProperty(false);
    private final BooleanBinding canExportProof;
    private final StringBinding selectedDetail;

    public AuditViewModel(VaultSessionState session, StoreService storeService, BackgroundTasks tasks,
                          DialogService dialogs, Clock clock) {
        this.session = session;
        this.storeService = storeService;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.zone = clock.getZone();
        typeFilter.addListener((o, old, now) -> applyFilter());
        textFilter.addListener((o, old, now) -> applyFilter());
        selectedDetail = Bindings.createStringBinding(() -> selected.get() == null ? "" : "Entry " + selected.get().sequence()
                + ", " + selected.get().time() + ", " + selected.get().type() + " by " + selected.get().actor()
                + (selected.get().refs().isEmpty() ? "" : ": " + selected.get().refs()), selected);
        canExportProof = Bindings.createBooleanBinding(() -> selected.get() != null && !exporting.get(), selected, exporting);
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                rows.clear();
                perDay.clear();
                proofMessage.set("");
            }
        });
    }

    private void applyFilter() {
        String type = typeFilter.get();
        String text = textFilter.get() == null ? "" : textFilter.get().strip().toLowerCase(Locale.ROOT);
        shown.setPredicate(r -> (type == null || ALL_TYPES.equals(type) || r.type().equals(type))
                && (text.isEmpty() || (r.sequence() + " " + r.time() + " " + r.type() + " " + r.actor() + " " + r.refs())
                .toLowerCase(Locale.ROOT).contains(text)));
    }

    /** Reloads the entries, the chart and the log key from the unlocked store. */
    public void refresh() {
        LocalStore store = session.unlockedProperty().get();
        if (store == null) {
            return;
        }
        tasks.task("Load the audit log", p -> {
                    AuditLog log = store.audit();
                    long size = log.size();
                    return new Loaded(size, log.entries(Math.max(0, size - MAX_SHOWN), size), log.logKey().encode());
                })
                .onSuccess(this::show)
                .onError(Throwable.class, e -> dialogs.showError("Audit", "The audit log could not be read.", e))
                .start();
    }

    private void show(Loaded loaded) {
        Long keep = selected.get() == null ? null : selected.get().sequence();
        List<Row> newest = new ArrayList<>(loaded.entries().size());
        for (int i = loaded.entries().size() - 1; i >= 0; i--) {
            AuditEntry e = loaded.entries().get(i);
            newest.add(new Row(e.sequence(), TIME.format(e.time().atZone(zone)), e.type(), e.actor(),
                    new TreeMap<>(e.refs()).entrySet().stream().map(x -> x.getKey() + "=" + x.getValue())
                            .collect(Collectors.joining("  "))));
        }
        rows.setAll(newest);
        TreeSet<String> known = new TreeSet<>();
        newest.forEach(r -> known.add(r.type()));
        String type = typeFilter.get();
        types.setAll(ALL_TYPES);
        types.addAll(known);
        typeFilter.set(known.contains(type) ? type : ALL_TYPES);
        perDay.setAll(chart(loaded.entries()));
        logKey.set(loaded.key());
        summary.set(loaded.size() == loaded.entries().size()
                ? loaded.size() + " entries, newest first."
                : "The newest " + loaded.entries().size() + " of " + loaded.size() + " entries, newest first.");
        selected.set(keep == null ? null : newest.stream().filter(r -> r.sequence() == keep).findFirst().orElse(null));
    }

    /**
     * One series per type; categories are the days (in this computer's time zone) that have entries, at most the
     * latest {@value #CHART_DAYS} of them.
     */
    private List<XYChart.Series<String, Number>> chart(List<AuditEntry> entries) {
        TreeSet<String> days = new TreeSet<>();
        entries.forEach(e -> days.add(DAY.format(e.time().atZone(zone))));
        while (days.size() > CHART_DAYS) {
            days.pollFirst();
        }
        Map<String, Map<String, Integer>> byType = new TreeMap<>();
        for (AuditEntry e : entries) {
            String day = DAY.format(e.time().atZone(zone));
            if (days.contains(day)) {
                byType.computeIfAbsent(e.type(), t -> new TreeMap<>()).merge(day, 1, Integer::sum);
            }
        }
        List<XYChart.Series<String, Number>> out = new ArrayList<>();
        byType.forEach((type, counts) -> {
            XYChart.Series<String, Number> series = new XYChart.Series<>();
            series.setName(type);
            for (String day : days) {
                series.getData().add(new XYChart.Data<>(day, counts.getOrDefault(day, 0)));
            }
            out.add(series);
        });
        return out;
    }

    /**
     * Verifies the whole log as a third party would: re-opens the vault file on its own, re-derives every leaf and root
     * and checks them against every signed checkpoint.
     */
    public void verify() {
        if (verifying.get()) {
            return;
        }
        verifying.set(true);
        verifyHolds.set(null);
        problems.clear();
        verifyProgress.set(-1);
        verifyResult.set("Verifying every entry against the signed checkpoints...");
        Instant started = Instant.now();
        tasks.task("Verify the audit log", p -> {
                    p.update(-1, 1, "Reading the vault file and checking every entry");
                    return storeService.verifyAudit();
                })
                .onSuccess(v -> {
                    verifyProgress.set(1);
                    verifyHolds.set(v.holds());
                    problems.setAll(v.problems());
                    String when = " (checked " + TIME.format(started.atZone(zone)) + ")";
                    verifyResult.set(v.holds()
                            ? "The log holds: " + v.size() + " entries, all matching the signed checkpoints." + when
                            : "The log does NOT hold: " + v.problems().get(0)
                            + (v.problems().size() > 1 ? " (" + v.problems().size() + " problems, all listed below)" : "") + when);
                    refresh();
                })
                .onError(Throwable.class, e -> {
                    verifyProgress.set(0);
                    verifyHolds.set(false);
                    verifyResult.set("The log could not be verified: " + e.getMessage());
                })
                .andFinally(() -> verifying.set(false))
                .start();
    }

    /** Writes an offline inclusion proof of the selected entry to {@code target} (replacing it atomically). */
    public void exportProof(Path target) {
        LocalStore store = session.unlockedProperty().get();
        Row row = selected.get();
        if (store == null || row == null || exporting.get()) {
            return;
        }
        exporting.set(true);
        tasks.task("Export audit proof", p -> {
                    AtomicFiles.write(target, store.audit().proof(row.sequence()).toBytes());
                    return store.audit().logKey().encode();
                })
                .onSuccess(key -> {
                    logKey.set(key);
                    proofMessage.set("Proof of entry " + row.sequence() + " written to " + target.toAbsolutePath()
                            + ". Anyone can check it with: sovereign audit verify-proof " + target.getFileName()
                            + " --key " + key);
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Export proof", "The proof could not be written to " + target + ".", e);
                })
                .andFinally(() -> exporting.set(false))
                .start();
    }


    public String suggestedProofName() {
        Row row = selected.get();
        return "audit-entry-" + (row == null ? "proof" : row.sequence()) + ".proof";
    }

    public ObservableList<Row> shownEntries() {
        return shown;
    }

    public ObservableList<String> types() {
        return types;
    }

    public ObservableList<XYChart.Series<String, Number>> perDay() {
        return perDay;
    }

    public StringProperty typeFilterProperty() {
        return typeFilter;
    }

    public StringProperty textFilterProperty() {
        return textFilter;
    }

    public ObjectProperty<Row> selectedProperty() {
        return selected;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyStringProperty logKeyProperty() {
        return logKey;
    }

    public ReadOnlyBooleanProperty verifyingProperty() {
        return verifying;
    }

    public ReadOnlyDoubleProperty verifyProgressProperty() {
        return verifyProgress;
    }

    public ReadOnlyStringProperty verifyResultProperty() {
        return verifyResult;
    }

    /** True when the last verification held, false when it did not, null before the first one finishes. */
    public ReadOnlyObjectProperty<Boolean> verifyHoldsProperty() {
        return verifyHolds;
    }

    public ObservableList<String> problems() {
        return problems;
    }

    public ReadOnlyStringProperty proofMessageProperty() {
        return proofMessage;
    }

    /** The selected entry in full (the table cuts long references). */
    public StringBinding selectedDetailProperty() {
        return selectedDetail;
    }

    public BooleanBinding canExportProofProperty() {
        return canExportProof;
    }
}
