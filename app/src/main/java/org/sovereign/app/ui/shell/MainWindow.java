package org.sovereign.app.ui.shell;

import org.slf4j.LoggerFactory;
import org.sovereign.app.ui.assistant.AssistantView;
import org.sovereign.app.ui.assistant.AssistantViewModel;
import org.sovereign.app.ui.audit.AuditView;
import org.sovereign.app.ui.audit.AuditViewModel;
import org.sovereign.app.ui.consent.ConsentView;
import org.sovereign.app.ui.consent.ConsentViewModel;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.governance.GovernanceView;
import org.sovereign.app.ui.governance.GovernanceViewModel;
import org.sovereign.app.ui.library.LibraryView;
import org.sovereign.app.ui.library.LibraryViewModel;
import org.sovereign.app.ui.library.SearchPreparation;
import org.sovereign.app.ui.mesh.MeshView;
import org.sovereign.app.ui.mesh.MeshViewModel;
import org.sovereign.app.ui.models.ModelsView;
import org.sovereign.app.ui.models.ModelsViewModel;
import org.sovereign.app.ui.settings.SettingsView;
import org.sovereign.app.ui.settings.SettingsViewModel;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.DefaultPackStepView;
import org.sovereign.app.ui.vault.DefaultPackStepViewModel;
import org.sovereign.app.ui.vault.RecoveredView;
import org.sovereign.app.ui.vault.VaultCreateView;
import org.sovereign.app.ui.vault.VaultCreateViewModel;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.app.ui.vault.VaultUnlockView;
import org.sovereign.app.ui.vault.VaultUnlockViewModel;
import org.sovereign.core.Workstation;
import org.sovereign.core.packs.PackFetch;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.settings.SettingsStore;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Builds the main window: wires the context's services into each screen's view-model, and the view-models into
 * their views. Screens are created on first visit and kept.
 */
public final class MainWindow {

    public static final double MIN_WIDTH = 900;
    public static final double MIN_HEIGHT = 600;
    /** What the window title names while the vault gate is shown. */
    static final String GATE_UNLOCK = "Unlock";
    static final String GATE_CREATE = "Create your vault";
    static final String GATE_SEARCH_MODEL = "Installing the search model";
    static final String GATE_RECOVERED = "New passphrase set";

    private final MainWindowViewModel viewModel = new MainWindowViewModel();
    private final MainWindowView view;
    private final StackPane root = new StackPane();
    private final VaultSessionState session;
    private final Workstation context;
    private final BackgroundTasks tasks;
    private final IdleAutoLock idleLock;
    private final SearchPreparation searchPreparation;
    /** True from vault creation until the person leaves the first-run step that installs the default pack. */
    private boolean firstRunPackStep;
    /** A pack file the person opened from the file manager, imported on the Models screen once the vault is unlocked. */
    private Path packToImport;
    /** The Models screen's view-model, once the screen was first opened. */
    private ModelsViewModel modelsScreen;

    private MainWindow(Workstation context, BackgroundTasks tasks, Clock idleClock) {
        this.context = context;
        this.session = new VaultSessionState(context);
        this.tasks = tasks;
        this.idleLock = new IdleAutoLock(session, () -> context.settings().get().autoLockMinutes(), idleClock);
        DialogService dialogs = new DialogService(this::window, context.logFile());
        this.searchPreparation = new SearchPreparation(session, tasks);
        Map<Area, Function<Area, Node>> screens = new EnumMap<>(Area.class);
        screens.put(Area.SETTINGS, area -> {
            SettingsViewModel settings = new SettingsViewModel(context, tasks, dialogs, session);
            settings.runSystemCheck();
            return new SettingsView(settings);
        });
        screens.put(Area.ASSISTANT, area -> {
            AssistantViewModel assistant = new AssistantViewModel(session, context.packs(), tasks, dialogs);
            assistant.searchPreparationProperty().bind(searchPreparation.statusProperty());
            idleLock.deferWhile(assistant.busyProperty(), "the answer being written");
            return new AssistantView(assistant);
        });
        screens.put(Area.GOVERNANCE, area -> new GovernanceView(
                new GovernanceViewModel(session, context.dataDirectory().path(), tasks)));
        screens.put(Area.MESH, area -> new MeshView(new MeshViewModel(session, context.dataDirectory().path(), tasks)));
        screens.put(Area.CONSENT, area -> new ConsentView(
                new ConsentViewModel(session, tasks, dialogs, Clock.systemDefaultZone())));
        screens.put(Area.AUDIT, area -> new AuditView(
                new AuditViewModel(session, context.store(), tasks, dialogs, Clock.systemDefaultZone())));
        screens.put(Area.LIBRARY, area -> {
            LibraryViewModel library = new LibraryViewModel(session, context.packs(), tasks, dialogs, Clock.systemDefaultZone());
            library.searchPreparationProperty().bind(searchPreparation.statusProperty());
            idleLock.deferWhile(library.indexingProperty(), "the indexing");
            return new LibraryView(library);
        });
        screens.put(Area.MODELS, area -> {
            ModelsViewModel models = new ModelsViewModel(session, context.packs(), context.settings(), tasks, dialogs);
            idleLock.deferWhile(models.workingProperty(), "the model pack work");
            models.offerDownloads(workspace -> new PackFetch(context.dataDirectory().path(), context.packs(), workspace,
                    Clock.systemUTC()), hubAddress());
            modelsScreen = models;
            return new ModelsView(models);
        });
        this.view = new MainWindowView(viewModel, area -> screens.getOrDefault(area, PlaceholderView::new).apply(area));
        root.setId("window-root");
        session.unlockedProperty().addListener((o, old, now) -> {
            if (now == null) {
                context.packs().runtime().unloadModels(); // nothing stays loaded while locked or after the window closes
            }
            showGateOrShell();
        });
        session.recoveredProperty().addListener((o, was, is) -> {
            if (!is && session.isUnlocked()) {
                showGateOrShell(); // the recovery was confirmed: on to the workstation
            }
        });
        showGateOrShell();
    }

    /** The vault gate (create on first run, else unlock) until the vault is unlocked; then the workstation. */
    private void showGateOrShell() {
        if (session.isUnlocked() && firstRunPackStep && context.packs().installation().defaultPackPending()) {
            DefaultPackStepViewModel step = new DefaultPackStepViewModel(context.packs(), tasks, session, () -> {
                firstRunPackStep = false;
                showGateOrShell();
            });
            idleLock.deferWhile(step.runningProperty(), "the search model install");
            viewModel.gateProperty().set(GATE_SEARCH_MODEL);
            StackPane wrapper = new StackPane(new DefaultPackStepView(step));
            wrapper.getStyleClass().add("gate-background");
            root.getChildren().setAll(wrapper);
            step.install();
            return;
        }
        if (session.isUnlocked() && session.recoveredProperty().get()) {
            viewModel.gateProperty().set(GATE_RECOVERED);
            StackPane wrapper = new StackPane(new RecoveredView(session));
            wrapper.getStyleClass().add("gate-background");
            root.getChildren().setAll(wrapper);
            return;
        }
        if (session.isUnlocked()) {
            firstRunPackStep = false;
            if (packToImport != null) {
                Path pack = packToImport;
                packToImport = null;
                viewModel.open(Area.MODELS);
                if (modelsScreen != null) {
                    modelsScreen.importPack(pack);
                }
            }
            viewModel.noticeProperty().set(context.packs().installation().defaultPackPending()
                    ? DefaultPackStepViewModel.SEMANTIC_SEARCH_OFF : "");
            viewModel.gateProperty().set("");
            root.getChildren().setAll(view);
            view.focusNavigation();
            return;
        }
        firstRunPackStep = false;
        Node gate;
        if (context.store().vaultExists()) {
            viewModel.gateProperty().set(GATE_UNLOCK);
            gate = new VaultUnlockView(new VaultUnlockViewModel(context.store(), tasks, session));
        } else {
            firstRunPackStep = true; // after creating the vault, install the built-in search model first
            viewModel.gateProperty().set(GATE_CREATE);
            gate = new VaultCreateView(new VaultCreateViewModel(context.store(), tasks, session));
        }
        StackPane wrapper = new StackPane(gate);
        wrapper.getStyleClass().add("gate-background");
        root.getChildren().setAll(wrapper);
    }

    /**
     * Opens the Models screen and starts importing {@code pack} (verification first, then the trust question) as soon
     * as the vault is unlocked; at once if it is. For a {@code .mpack} opened from the file manager. FX thread.
     */
    public void importPackWhenUnlocked(Path pack) {
        packToImport = pack.toAbsolutePath().normalize();
        if (session.isUnlocked()) {
            showGateOrShell();
        }
    }

    /** The hub downloads use: SOVEREIGN_HUB_URL (a mirror) if set and valid, else the Hugging Face Hub. */
    private static URI hubAddress() {
        String configured = System.getenv("SOVEREIGN_HUB_URL");
        if (configured != null && !configured.isBlank()) {
            try {
                return URI.create(configured.strip());
            } catch (IllegalArgumentException e) {
                return PackFetch.DEFAULT_HUB;
            }
        }
        return PackFetch.DEFAULT_HUB;
    }

    /** The idle auto-lock of this window (screens register long work it waits for). */
    public IdleAutoLock idleLock() {
        return idleLock;
    }

    /** The background load of the library's vectors after each unlock, with its progress line. */
    public SearchPreparation searchPreparation() {
        return searchPreparation;
    }

    /** The vault's unlocked state in this window. */
    public VaultSessionState session() {
        return session;
    }

    public static MainWindow create(Workstation context) {
        return new MainWindow(context, BackgroundTasks.daemonThreads(), Clock.systemUTC());
    }

    public static MainWindow create(Workstation context, BackgroundTasks tasks) {
        return new MainWindow(context, tasks, Clock.systemUTC());
    }

    /** With the clock the idle auto-lock measures time by (tests move a fake clock instead of waiting minutes). */
    public static MainWindow create(Workstation context, BackgroundTasks tasks, Clock idleClock) {
        return new MainWindow(context, tasks, idleClock);
    }

    private Window window() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    public MainWindowViewModel viewModel() {
        return viewModel;
    }

    /** The dark theme's stylesheet, layered after {@code workstation.css}; it overrides colours only. */
    public static final String DARK_STYLESHEET = "/org/sovereign/app/ui/workstation-dark.css";

    /** Applies the saved theme, follows changes to it, and offers the switch (rail button, Ctrl+Shift+T). */
    private void installTheme(Scene scene) {
        SettingsStore settings = context.settings();
        viewModel.themeProperty().set(settings.get().theme());
        applyTheme(scene, settings.get().theme());
        settings.addListener(s -> Platform.runLater(() -> {
            viewModel.themeProperty().set(s.theme());
            applyTheme(scene, s.theme());
        }));
        viewModel.themeProperty().addListener((o, old, now) -> {
            applyTheme(scene, now);
            if (now != settings.get().theme()) {
                try {
                    settings.save(settings.get().withTheme(now));
                } catch (RuntimeException e) {
                    LoggerFactory.getLogger(MainWindow.class).warn("The theme could not be saved", e);
                }
            }
        });
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.T, KeyCombination.SHORTCUT_DOWN,
                KeyCombination.SHIFT_DOWN), viewModel::toggleTheme);
    }

    private static void applyTheme(Scene scene, AppSettings.Theme theme) {
        String dark = MainWindow.class.getResource(DARK_STYLESHEET).toExternalForm();
        scene.getStylesheets().remove(dark);
        if (theme == AppSettings.Theme.DARK) {
            scene.getStylesheets().add(dark);
        }
    }

    /** Puts the window on {@code stage} and shows it. */
    public void show(Stage stage) {
        Scene scene = new Scene(root, 1200, 760);
        scene.getStylesheets().add(MainWindow.class.getResource("/org/sovereign/app/ui/workstation.css").toExternalForm());
        installTheme(scene);
        view.installShortcuts(scene);
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.L, KeyCombination.SHORTCUT_DOWN), session::lock);
        idleLock.install(scene);
        stage.setOnHidden(e -> {
            idleLock.stop();
            session.lock();
        });
        stage.setScene(scene);
        stage.titleProperty().bind(viewModel.windowTitle());
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        stage.show();
    }
}
