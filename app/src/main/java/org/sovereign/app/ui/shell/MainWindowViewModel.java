package org.sovereign.app.ui.shell;

import org.sovereign.core.settings.AppSettings;

import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/** State of the main window: which area is open. Knows nothing about controls. */
public final class MainWindowViewModel {

    private final ObjectProperty<Area> selectedArea = new SimpleObjectProperty<>(Area.ASSISTANT);
    private final StringBinding windowTitle;
    private final StringProperty notice = new SimpleStringProperty("");
    private final StringProperty gate = new SimpleStringProperty("");

    public MainWindowViewModel() {
        windowTitle = Bindings.createStringBinding(
                () -> (gate.get().isEmpty() ? selectedArea.get().title() : gate.get()) + " - Sovereign Workstation",
                selectedArea, gate);
    }

    /**
     * The screen shown instead of the workstation while the vault is locked or being set up (e.g. "Unlock"), which
     * the window title names then; empty while the workstation's areas are shown.
     */
    public StringProperty gateProperty() {
        return gate;
    }

    public List<Area> areas() {
        return List.of(Area.values());
    }

    public ObjectProperty<Area> selectedAreaProperty() {
        return selectedArea;
    }

    public void open(Area area) {
        selectedArea.set(area);
    }

    /** A plain sentence shown above every area when something limits the workstation; empty when nothing does. */
    public StringProperty noticeProperty() {
        return notice;
    }

    public StringBinding windowTitle() {
        return windowTitle;
    }

    private final ObjectProperty<AppSettings.Theme> theme = new SimpleObjectProperty<>(AppSettings.Theme.LIGHT);

    /** The colour scheme shown; the main window persists changes in the settings. */
    public ObjectProperty<AppSettings.Theme> themeProperty() {
        return theme;
    }

    /** Switches between the light and the dark theme. */
    public void toggleTheme() {
        theme.set(theme.get() == AppSettings.Theme.DARK ? AppSettings.Theme.LIGHT : AppSettings.Theme.DARK);
    }
}
