package org.sovereign.app.ui;

import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.util.Locale;
import javafx.application.Platform;
import javafx.stage.Stage;

/** Starts the JavaFX toolkit and shows the main window. */
public final class WorkstationLauncher implements DesktopLauncher {

    @Override
    public boolean displayAvailable() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("windows") || os.startsWith("mac")) {
            return true;
        }
        String display = System.getenv("DISPLAY");
        String wayland = System.getenv("WAYLAND_DISPLAY");
        return (display != null && !display.isBlank()) || (wayland != null && !wayland.isBlank())
                || "Monocle".equals(System.getProperty("glass.platform"));
    }

    @Override
    public void launch(Workstation context) {
        Platform.setImplicitExit(true);
        Platform.startup(() -> MainWindow.create(context).show(new Stage()));
    }
}
