package org.sovereign.app.ui.shell;

import org.sovereign.app.ui.controls.ScrollFollowsFocus;
import org.sovereign.core.settings.AppSettings;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Toggle;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** The main window's layout: a navigation rail on the left and the open area on the right. Binds only. */
final class MainWindowView extends BorderPane {

    private final MainWindowViewModel viewModel;
    private final Function<Area, Node> screenFactory;
    private final Map<Area, Node> screens = new EnumMap<>(Area.class);
    private final Map<Area, ToggleButton> navButtons = new EnumMap<>(Area.class);
    private final Label areaTitle = new Label();
    private final Label areaSummary = new Label();
    private final ScrollPane content = new ScrollPane();

    MainWindowView(MainWindowViewModel viewModel, Function<Area, Node> screenFactory) {
        this.viewModel = viewModel;
        this.screenFactory = screenFactory;
        setId("main-window");
        setLeft(buildRail());
        setCenter(buildContent());
        viewModel.selectedAreaProperty().addListener((obs, old, area) -> show(area));
        show(viewModel.selectedAreaProperty().get());
    }

    private Node buildRail() {
        ToggleGroup group = new ToggleGroup();
        VBox rail = new VBox(4);
        rail.getStyleClass().add("nav-rail");
        rail.setId("nav-rail");
        Label brand = new Label("Sovereign");
        brand.getStyleClass().add("brand");
        rail.getChildren().add(brand);
        for (Area area : viewModel.areas()) {
            ToggleButton button = new ToggleButton(area.title());
            button.setId("nav-" + area.id());
            button.setToggleGroup(group);
            button.setUserData(area);
            button.setMaxWidth(Double.MAX_VALUE);
            button.getStyleClass().add("nav-button");
            button.setTooltip(new Tooltip(area.summary() + "  (" + shortcut(area).getDisplayText() + ")"));
            navButtons.put(area, button);
            if (area == Area.SETTINGS) {
                Region spacer = new Region();
                VBox.setVgrow(spacer, Priority.ALWAYS);
                rail.getChildren().add(spacer);
            }
            rail.getChildren().add(button);
        }
        rail.getChildren().add(themeToggle());
        group.selectedToggleProperty().addListener((obs, old, now) -> {
            if (now == null) {
                old.setSelected(true); // clicking the open area again keeps it open
            } else {
                viewModel.open((Area) now.getUserData());
            }
        });
        return rail;
    }

    /** The light/dark switch at the foot of the rail (also Ctrl+Shift+T). */
    private Node themeToggle() {
        ToggleButton toggle = new ToggleButton();
        toggle.setId("nav-theme");
        toggle.setMaxWidth(Double.MAX_VALUE);
        toggle.getStyleClass().addAll("nav-button", "theme-toggle");
        Runnable show = () -> {
            boolean dark = viewModel.themeProperty().get() == AppSettings.Theme.DARK;
            toggle.setSelected(dark);
            toggle.setText(dark ? "Light theme" : "Dark theme");
        };
        show.run();
        viewModel.themeProperty().addListener((o, old, now) -> show.run());
        toggle.setOnAction(e -> {
            viewModel.toggleTheme();
            show.run();
        });
        toggle.setTooltip(new Tooltip("Switch between the light and the dark colour scheme (Ctrl+Shift+T)"));
        return toggle;
    }

    private Node buildContent() {
        areaTitle.setId("area-title");
        areaTitle.getStyleClass().add("area-title");
        areaSummary.setId("area-summary");
        areaSummary.getStyleClass().add("area-summary");
        areaSummary.setWrapText(true);
        content.setFitToWidth(true);
        content.getStyleClass().add("area-content");
        ScrollFollowsFocus.install(content);
        Label notice = new Label();
        notice.setId("shell-notice");
        notice.getStyleClass().add("warning");
        notice.setWrapText(true);
        notice.setMinHeight(Region.USE_PREF_SIZE); // wrapped whole, not cut to one line
        notice.textProperty().bind(viewModel.noticeProperty());
        notice.visibleProperty().bind(viewModel.noticeProperty().isNotEmpty());
        notice.managedProperty().bind(notice.visibleProperty());
        VBox box = new VBox(6, notice, areaTitle, areaSummary, content);
        VBox.setVgrow(content, Priority.ALWAYS);
        box.setPadding(new Insets(20, 24, 20, 24));
        return box;
    }

    private void show(Area area) {
        Toggle button = navButtons.get(area);
        if (!button.isSelected()) {
            button.setSelected(true);
        }
        areaTitle.setText(area.title());
        areaSummary.setText(area.summary());
        content.setContent(screens.computeIfAbsent(area, screenFactory));
    }

    void installShortcuts(Scene scene) {
        for (Area area : viewModel.areas()) {
            scene.getAccelerators().put(shortcut(area), () -> {
                viewModel.open(area);
                navButtons.get(area).requestFocus();
            });
        }
    }

    void focusNavigation() {
        navButtons.get(viewModel.selectedAreaProperty().get()).requestFocus();
    }

    private static KeyCombination shortcut(Area area) {
        return new KeyCodeCombination(area.shortcut(), KeyCombination.SHORTCUT_DOWN);
    }
}
