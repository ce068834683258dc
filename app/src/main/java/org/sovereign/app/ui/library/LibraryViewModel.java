package org.sovereign.app.ui.library;

import org.sovereign.app.ui.consent.ConsentWords;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.consent.Consents;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.library.Chunker;
import org.sovereign.core.library.IndexReport;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.library.Passage;
import org.sovereign.core.library.TextExtractor;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentRequest;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.VaultLockedException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * Library: the sources in the vault with the consent that covers them, adding folders and files (asking for consent
 * in plain words first when none covers them), indexing in the background with progress and Cancel, search with the
 * query words marked, and forgetting a source for good. Reads the unlocked store from the session at each use.
 * Holds state only; never touches controls.
 */
public final class LibraryViewModel {

    /** The purpose the assistant's library is indexed for. */
    public static final String PURPOSE = "private assistant";
    /** What a search says before any folder was added. */
    static final String EMPTY_LIBRARY = "Your library is empty: add a folder or files with the buttons at the top, then search it.";
    static final int DEFAULT_DAYS = 365;
    static final int MAX_DAYS = 3650;
    static final int RESULT_LIMIT = 20;

    /** One source as the list shows it. */
    public record SourceRow(Path root, String kind, String consentId, String purposes, String givenOn,
                            String consentStatus) {
        /**
         * The consent in one line, by purpose and day (its id is for the Consent screen's details), e.g.
         * {@code 'private assistant' of 7 December 2026, active}.
         */
        public String consent() {
            return consentId.isEmpty() ? consentStatus : "'" + purposes + "' of " + givenOn + ", " + consentStatus;
        }

        /**
         * The folder or file as the list shows it: control characters and terminal escapes in the name are shown
         * escaped ({@link SafeText#forDisplay}, as on the command line), so a name cannot break or fake a line.
         */
        public String rootText() {
            return SafeText.forDisplay(root);
        }
    }


    /** One search result: the document, the passage number (from 1), its text and the runs to mark. */
    public record ResultRow(Path document, int passage, String text, List<Highlighter.Run> runs) {
        public String documentName() {
            return SafeText.forDisplay(document.getFileName() == null ? document : document.getFileName());
        }
    }

    /** What the consent check found before indexing. */
    private record Check(List<Path> roots, boolean covered, String packDigest, String packName) {
    }

    private final VaultSessionState session;
    private final Packs packs;
    private final BackgroundTasks tasks;
    private final DialogService dialogs;
    private final Clock clock;

    private final ObservableList<SourceRow> sources = FXCollections.observableArrayList();
    private final ObjectProperty<SourceRow> selected = new SimpleObjectProperty<>();
    private final BooleanProperty confirmingForget = new SimpleBooleanProperty(false);
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final BooleanProperty indexing = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty progressText = new SimpleStringProperty("");
    private final StringProperty summary = new SimpleStringProperty("");
    private final StringProperty message = new SimpleStringProperty("");
    private AtomicBoolean stop = new AtomicBoolean();

    private final BooleanProperty consentSheetOpen = new SimpleBooleanProperty(false);
    private final ObservableList<Path> pendingRoots = FXCollections.observableArrayList();
    private final StringProperty pendingPackName = new SimpleStringProperty("");
    private final StringProperty days = new SimpleStringProperty(Integer.toString(DEFAULT_DAYS));
    private final StringBinding consentProblem;
    private final StringBinding notice;
    private final StringBinding operationsText;
    private String pendingPackDigest;

    private final StringProperty query = new SimpleStringProperty("");
    private final ObservableList<ResultRow> results = FXCollections.observableArrayList();
    private final BooleanProperty searching = new SimpleBooleanProperty(false);
    private final StringProperty searchStatus = new SimpleStringProperty("");
    private final StringProperty searchPreparation = new SimpleStringProperty("");
    private String lastQuery = "";

    private final BooleanBinding canForget;
    private final BooleanBinding canAdd;

    public LibraryViewModel(VaultSessionState session, Packs packs, BackgroundTasks tasks, DialogService dialogs,
                            Clock clock) {
        this.session = session;
        this.packs = packs;
        this.tasks = tasks;
        this.dialogs = dialogs;
        this.clock = clock;
        consentProblem = Bindings.createStringBinding(() -> {
            int d = days();
            return d < 1 || d > MAX_DAYS ? "For how long: a whole number of days from 1 to " + MAX_DAYS + "." : "";
        }, days);
        notice = Bindings.createStringBinding(() -> consentProblem.get().isEmpty() && !pendingRoots.isEmpty()
                ? noticeText() : "", days, pendingRoots, pendingPackName, consentProblem);
        operationsText = Bindings.createStringBinding(() -> "Index (store their text, encrypted, in your vault)"
                + (pendingPackName.get().isEmpty() ? "" : "; embed with the model pack " + pendingPackName.get()
                + " (for search by meaning)") + "; generate (use passages in the assistant's answers)", pendingPackName);
        canAdd = Bindings.createBooleanBinding(() -> !busy.get() && !indexing.get() && !consentSheetOpen.get(),
                busy, indexing, consentSheetOpen);
        canForget = Bindings.createBooleanBinding(() -> selected.get() != null && !busy.get() && !indexing.get(),
                selected, busy, indexing);
        selected.addListener((o, old, now) -> confirmingForget.set(false));
        session.unlockedProperty().addListener((o, old, store) -> {
            if (store == null) {
                stop.set(true);
                sources.clear(); // nothing from the vault stays on screen or in memory once it is locked
                results.clear();
                consentSheetOpen.set(false);
                pendingRoots.clear();
                summary.set("");
                message.set("");
                searchStatus.set("");
                progressText.set("");
            }
        });
    }

    private LocalStore store() {
        return session.unlockedProperty().get();
    }

    private UnlockedWorkspace workspaceOf(LocalStore store) {
        UnlockedWorkspace ws = session.workspace();
        if (ws == null || ws.store() != store) {
            throw new VaultLockedException();
        }
        return ws;
    }

    /** The library of the workspace that owns {@code store} (the one unlocked when the work was started). */
    private LibraryService library(LocalStore store, boolean withModel) {
        UnlockedWorkspace ws = workspaceOf(store);
        return withModel ? ws.library() : ws.libraryWithoutModel();
    }

    private int days() {
        try {
            return Integer.parseInt(days.get().strip());
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /** The consent the sheet asks for: index and answer from the chosen sources (and embed, with an embedding pack). */
    private GrantRequest request() {
        Set<Operation> ops = EnumSet.of(Operation.INDEX, Operation.GENERATE);
        if (pendingPackDigest != null) {
            ops.add(Operation.EMBED);
        }
        return new GrantRequest(List.of(PURPOSE), ops, List.copyOf(pendingRoots), List.of(), days());
    }

    private String noticeText() {
        return request().noticeText();
    }

    // ---------------------------------------------------------------- sources

    /** Reloads the sources and the consent covering each from the unlocked vault. */
    public void refresh() {
        LocalStore store = store();
        if (store == null) {
            return;
        }
        busy.set(true);
        tasks.task("Load library", p -> {
                    Map<Path, Long> roots = library(store, false).sources();
                    List<ConsentHistory> consents = store.consent().all();
                    Instant now = clock.instant();
                    return roots.keySet().stream().map(root -> row(root, consents, now)).toList();
                })
                .onSuccess(rows -> {
                    if (store == store()) {
                        Path keep = selected.get() == null ? null : selected.get().root();
                        sources.setAll(rows);
                        selected.set(rows.stream().filter(r -> r.root().equals(keep)).findFirst().orElse(null));
                    }
                })
                .onError(Throwable.class, e -> {
                    if (store == store()) {
                        dialogs.showError("Library", "The library in your vault could not be read.", e);
                    }
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** The consent that covers {@code root} for indexing: an active one if any, else the latest that did. */
    private static SourceRow row(Path root, List<ConsentHistory> consents, Instant now) {
        String kind = Files.isDirectory(root) ? "folder" : Files.isRegularFile(root) ? "file" : "missing on disk";
        Optional<ConsentHistory> covering = consents.stream()
                .filter(h -> h.terms().operations().contains(Operation.INDEX))
                .filter(h -> h.terms().sources().stream().map(Path::of).anyMatch(root::startsWith))
                .sorted(Comparator.comparing((ConsentHistory h) -> h.activeAt(now)).reversed()
                        .thenComparing(Comparator.comparing((ConsentHistory h) -> h.events().get(0).time()).reversed()))
                .findFirst();
        return covering.map(h -> new SourceRow(root, kind, h.recordId(), String.join(", ", h.terms().purposes()),
                        ConsentWords.day(h.events().get(0).time()), status(h.statusAt(now))))
                .orElse(new SourceRow(root, kind, "", "", "", "no consent covers it now"));
    }

    private static String status(ConsentStatus s) {
        return switch (s) {
            case GIVEN, RENEWED -> "active";
            case WITHDRAWN -> "withdrawn: no consent covers it any more, so it is not searched or used";
            case EXPIRED -> "expired: no consent covers it any more, so it is not searched or used";
        };
    }

    /** First step of forgetting the selected source: asks for confirmation. */
    public void requestForget() {
        if (canForget.get()) {
            confirmingForget.set(true);
        }
    }

    public void cancelForget() {
        confirmingForget.set(false);
    }

    /** Forgets the selected source for good: its key is erased, so its stored text cannot be recovered. */
    public void confirmForget() {
        LocalStore store = store();
        SourceRow row = selected.get();
        confirmingForget.set(false);
        if (store == null || row == null || !canForget.get()) {
            return;
        }
        busy.set(true);
        tasks.task("Forget source", p -> {
                    library(store, false).forget(row.root());
                    return row.root();
                })
                .onSuccess(root -> {
                    message.set("Forgot " + SafeText.forDisplay(root) + ". Its key is erased, so the text stored from "
                            + "it cannot be recovered. "
                            + "The files on disk are untouched; the erasure is in the audit log.");
                    selected.set(null);
                    refresh();
                    if (!lastQuery.isBlank()) {
                        search(lastQuery);
                    }
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Forget", "The source could not be forgotten. It is still in the library.", e);
                    refresh();
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    // ---------------------------------------------------------------- adding and indexing

    /** Adds a folder (what "Add folder..." does with the chosen folder). */
    public void addFolder(Path folder) {
        addSources(List.of(folder));
    }

    /** Adds files or folders: indexes them at once when a consent covers them, else opens the consent sheet. */
    public void addSources(List<Path> paths) {
        LocalStore store = store();
        if (store == null || paths.isEmpty() || !canAdd.get()) {
            return;
        }
        List<Path> roots = paths.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
        busy.set(true);
        message.set("");
        tasks.task("Check consent", p -> {
                    String digest = workspaceOf(store).models().embedder().map(Embedder::packDigest).orElse(null);
                    String name = digest == null ? "" : packs.installation().defaultPackName().orElse(digest);
                    boolean covered = true;
                    try {
                        store.consent().require(new ConsentRequest(PURPOSE, Operation.INDEX, roots, null));
                        if (digest != null) {
                            store.consent().require(new ConsentRequest(PURPOSE, Operation.EMBED, roots, digest));
                        }
                    } catch (ConsentRefusedException notCovered) {
                        covered = false;
                    }
                    return new Check(roots, covered, digest, name);
                })
                .onSuccess(check -> {
                    if (store != store()) {
                        return;
                    }
                    if (check.covered()) {
                        index(check.roots());
                    } else {
                        pendingRoots.setAll(check.roots());
                        pendingPackDigest = check.packDigest();
                        pendingPackName.set(check.packName());
                        days.set(Integer.toString(DEFAULT_DAYS));
                        consentSheetOpen.set(true);
                    }
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Add to library", "Whether a consent covers this could not be checked. Nothing was read.", e);
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** Indexes an existing source again: new and changed files are indexed, unchanged ones skipped. */
    public void reindexSelected() {
        SourceRow row = selected.get();
        if (row != null) {
            addSources(List.of(row.root()));
        }
    }

    /** Closes the consent sheet without giving consent; nothing is read. */
    public void declineConsent() {
        consentSheetOpen.set(false);
        pendingRoots.clear();
        message.set("Nothing was added: no consent was given.");
    }

    /** Signs the consent exactly as shown on the sheet, then indexes. */
    public void allowAndIndex() {
        LocalStore store = store();
        if (store == null || !consentSheetOpen.get() || notice.get().isEmpty()) {
            return;
        }
        GrantRequest request = request().withNotice(notice.get()); // exactly the text shown
        List<Path> roots = request.sources();
        busy.set(true);
        tasks.task("Give consent", p -> new Consents(store, clock).grant(request))
                .onSuccess(h -> {
                    consentSheetOpen.set(false);
                    pendingRoots.clear();
                    if (store == store()) {
                        index(roots);
                    }
                })
                .onError(Throwable.class, e -> {
                    dialogs.showError("Give consent", "The consent could not be recorded. Nothing was given or read.", e);
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    private void index(List<Path> roots) {
        LocalStore store = store();
        AtomicBoolean stopFlag = new AtomicBoolean();
        stop = stopFlag;
        indexing.set(true);
        summary.set("");
        progress.set(-1);
        progressText.set("Starting...");
        var task = tasks.task("Index library", p -> {
            {
                LibraryService library = library(store, true);
                boolean embedding = workspaceOf(store).models().embedder().isPresent();
                Map<Path, IndexReport> reports = new LinkedHashMap<>();
                Throughput rate = new Throughput(clock);
                for (int r = 0; r < roots.size() && !stopFlag.get(); r++) {
                    Path root = roots.get(r);
                    String prefix = roots.size() > 1 ? "Source " + (r + 1) + " of " + roots.size() + " - " : "";
                    reports.put(root, StoreService.translate(() -> library.index(root, PURPOSE,
                            watched(p, stopFlag, prefix, rate))));
                }
                return summarize(reports, embedding, stopFlag.get());
            }
        });
        progress.bind(task.progressProperty());
        progressText.bind(task.messageProperty());
        task.onSuccess(text -> {
                    if (store == store()) {
                        summary.set(text);
                        refresh();
                    }
                })
                .onError(Throwable.class, e -> {
                    if (store == store()) {
                        summary.set("Indexing stopped: " + e.getMessage());
                        dialogs.showError("Index", "Indexing stopped because of a problem. What was indexed is kept.", e);
                        refresh();
                    }
                })
                .andFinally(this::finishIndexing)
                .start();
    }

    private void finishIndexing() {
        progress.unbind();
        progressText.unbind();
        progressText.set("");
        progress.set(0);
        indexing.set(false);
    }

    /** Asks the running indexing to stop after the current file; what was indexed is kept. */
    public void cancelIndexing() {
        stop.set(true);
    }

    /** Counts finished files over time, for "files/min". */
    private static final class Throughput {
        private final Clock clock;
        private final Instant start;
        private long files;

        Throughput(Clock clock) {
            this.clock = clock;
            this.start = clock.instant();
        }

        String text() {
            double minutes = Duration.between(start, clock.instant()).toMillis() / 60000.0;
            if (files == 0 || minutes <= 0) {
                return "";
            }
            return " (" + Math.round(files / minutes) + " files/min)";
        }
    }

    /** Turns the service's "Indexing name" updates into "File i of n: name (x files/min)", and passes on Cancel. */
    private static Progress watched(Progress task, AtomicBoolean stopFlag, String prefix, Throughput rate) {
        return new Progress() {
            private long lastDone = -1;

            @Override
            public void update(long done, long total, String msg) {
                if (lastDone >= 0 && done > lastDone) {
                    rate.files += done - lastDone;
                }
                lastDone = done;
                String name = msg.startsWith("Indexing ") ? SafeText.forDisplay(msg.substring("Indexing ".length())) : null;
                task.update(done, Math.max(total, 1), name == null ? prefix + SafeText.forDisplay(msg)
                        : prefix + "File " + (done + 1) + " of " + total + ": " + name + rate.text());
            }

            @Override
            public boolean isCancelled() {
                return stopFlag.get() || task.isCancelled();
            }
        };
    }

    static String summarize(Map<Path, IndexReport> reports, boolean packInstalled, boolean stopped) {
        int indexed = 0;
        int unchanged = 0;
        int passages = 0;
        boolean embedded = false;
        boolean cancelled = stopped;
        List<String> failures = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> notRead = new ArrayList<>();
        for (IndexReport r : reports.values()) {
            r.indexed().forEach(f -> names.add(SafeText.forDisplay(f.getFileName())));
            r.unsupported().values().forEach(reason -> notRead.add(SafeText.forDisplay(reason)));
            indexed += r.indexed().size();
            unchanged += r.unchanged().size();
            passages += r.chunks();
            embedded |= r.embedded();
            cancelled |= r.cancelled();
            r.failed().values().forEach(failures::add);
        }
        StringBuilder out = new StringBuilder();
        if (cancelled) {
            out.append("Stopped on request. What was indexed is kept; add the folder again (or press Index again) to continue.\n");
        }
        out.append("Indexed: ").append(files(indexed)).append(" (").append(passages).append(passages == 1 ? " passage)" : " passages)")
                .append(". Unchanged, skipped: ").append(files(unchanged))
                .append(". Could not be read: ").append(files(failures.size())).append('.');
        if (!names.isEmpty()) {
            out.append("\nIndexed files: ").append(String.join(", ", names.subList(0, Math.min(LISTED, names.size()))))
                    .append(names.size() > LISTED ? " and " + (names.size() - LISTED) + " more." : ".");
        }
        failures.forEach(f -> out.append("\n  - ").append(SafeText.forDisplay(f))); // a reason names its file
        if (!notRead.isEmpty()) {
            out.append("\nNot read, type not supported: ").append(files(notRead.size())).append('.');
            notRead.stream().limit(LISTED).forEach(f -> out.append("\n  - ").append(f));
            if (notRead.size() > LISTED) {
                out.append("\n  - and ").append(notRead.size() - LISTED).append(" more");
            }
        }
        out.append('\n').append(embedded ? "Passages were embedded for search by meaning as well as by keyword."
                : packInstalled ? "Keyword search only: the consent does not allow embedding."
                : "Keyword search only: no embedding pack is installed.");
        return out.toString();
    }

    /** At most this many file names are listed per group in the summary. */
    private static final int LISTED = 20;

    private static String files(int n) {
        return n + (n == 1 ? " file" : " files");
    }

    // ---------------------------------------------------------------- search

    /** Searches the library for the current query. */
    public void search() {
        search(query.get());
    }

    private void search(String text) {
        LocalStore store = store();
        String q = text == null ? "" : text.strip();
        if (store == null) {
            return;
        }
        if (q.isEmpty()) {
            results.clear();
            searchStatus.set("Type a word or phrase to search for.");
            return;
        }
        lastQuery = q;
        searching.set(true);
        searchStatus.set("Searching...");
        tasks.task("Search library", p -> {
                    return library(store, true).search(q, RESULT_LIMIT, PURPOSE);
                })
                .onSuccess(found -> {
                    if (store != store()) {
                        return;
                    }
                    results.setAll(found.stream().map(passage -> result(passage, q)).toList());
                    searchStatus.set(found.isEmpty() ? sources.isEmpty() ? EMPTY_LIBRARY : LibraryService.noGoodMatch(q)
                            : found.size() + (found.size() == 1 ? " passage" : " passages") + " for \u201c" + q + "\u201d.");
                })
                .onError(ConsentRefusedException.class, e -> {
                    searching.set(false);
                    results.clear();
                    searchStatus.set(ConsentWords.refused("search", PURPOSE, e)
                            + " Give or check consent on the Consent screen (Ctrl+4).");
                })
                .onError(Throwable.class, e -> {
                    searchStatus.set("");
                    if (store == store()) {
                        dialogs.showError("Search", "The library could not be searched.", e);
                    }
                })
                .andFinally(() -> searching.set(false))
                .start();
    }

    private static ResultRow result(Passage p, String q) {
        String shown = p.shownText();
        return new ResultRow(p.document(), p.chunkIndex() + 1, shown, Highlighter.runs(shown, q));
    }

    // ---------------------------------------------------------------- properties

    public ObservableList<SourceRow> sources() {
        return sources;
    }

    public ObjectProperty<SourceRow> selectedProperty() {
        return selected;
    }

    public ReadOnlyBooleanProperty confirmingForgetProperty() {
        return confirmingForget;
    }

    public BooleanBinding canForgetProperty() {
        return canForget;
    }

    public BooleanBinding canAddProperty() {
        return canAdd;
    }

    public ReadOnlyBooleanProperty busyProperty() {
        return busy;
    }

    public ReadOnlyBooleanProperty indexingProperty() {
        return indexing;
    }

    /** Fraction done, or -1 while unknown. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    /** "File i of n: name (x files/min)". */
    public ReadOnlyStringProperty progressTextProperty() {
        return progressText;
    }

    /** The plain summary of the last indexing run. */
    public ReadOnlyStringProperty summaryProperty() {
        return summary;
    }

    public ReadOnlyStringProperty messageProperty() {
        return message;
    }

    public ReadOnlyBooleanProperty consentSheetOpenProperty() {
        return consentSheetOpen;
    }

    /** The folders and files the consent sheet asks about. */
    public ObservableList<Path> pendingRoots() {
        return pendingRoots;
    }

    /** What the consent would allow, in plain words. */
    public StringBinding operationsTextProperty() {
        return operationsText;
    }

    public StringProperty daysProperty() {
        return days;
    }

    /** What is wrong with the consent sheet's input; empty when it can be given. */
    public StringBinding consentProblemProperty() {
        return consentProblem;
    }

    /** The exact notice that will be signed; empty while the input is invalid. */
    public StringBinding noticeProperty() {
        return notice;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ObservableList<ResultRow> results() {
        return results;
    }

    public ReadOnlyBooleanProperty searchingProperty() {
        return searching;
    }

    public ReadOnlyStringProperty searchStatusProperty() {
        return searchStatus;
    }

    /**
     * "Preparing search over your library... 40 %" while the vectors load after an unlock (bound by the window to
     * {@link SearchPreparation#statusProperty()}); empty otherwise. A search started meanwhile waits for the load.
     */
    public StringProperty searchPreparationProperty() {
        return searchPreparation;
    }
}
