package org.sovereign.app.ui.shell;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.sovereign.app.AppContext;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.settings.SettingsView;
import org.sovereign.app.ui.settings.SettingsViewModel;
import org.sovereign.app.ui.tasks.BackgroundTasks;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the main window: wires the context's services into each screen's view-model, and the view-models into
 * their views. Screens are created on first visit and kept.
 */
public final class MainWindow {

    public static final double MIN_WIDTH = 900;
    public static final double MIN_HEIGHT = 600;

    private final MainWindowViewModel viewModel = new MainWindowViewModel();
    private final MainWindowView view;

    private MainWindow(AppContext context, BackgroundTasks tasks) {
        DialogService dialogs = new DialogService(this::window, context.logFile());
        Map<Area, Function<Area, Node>> screens = new EnumMap<>(Area.class);
        screens.put(Area.SETTINGS, area -> {
            SettingsViewModel settings = new SettingsViewModel(context, tasks, dialogs);
            settings.runSystemCheck();
            return new SettingsView(settings);
        });
        this.view = new MainWindowView(viewModel, area -> screens.getOrDefault(area, PlaceholderView::new).apply(area));
    }

    public static MainWindow create(AppContext context) {
        return new MainWindow(context, BackgroundTasks.daemonThreads());
    }

    public static MainWindow create(AppContext context, BackgroundTasks tasks) {
        return new MainWindow(context, tasks);
    }

    private Window window() {
        return view.getScene() == null ? null : view.getScene().getWindow();
    }

    public MainWindowViewModel viewModel() {
        return viewModel;
    }

    /** Puts the window on {@code stage} and shows it. */
    public void show(Stage stage) {
        Scene scene = new Scene(view, 1200, 760);
        scene.getStylesheets().add(MainWindow.class.getResource("/org/sovereign/app/ui/workstation.css").toExternalForm());
        view.installShortcuts(scene);
        stage.setScene(scene);
        stage.titleProperty().bind(viewModel.windowTitle());
        stage.setMinWidth(MIN_WIDTH);
        stage.setMinHeight(MIN_HEIGHT);
        stage.show();
        view.focusNavigation();
    }
}
