package org.sovereign.app.ui;

import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.UserFacingException;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
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

    @Override
    public void launch(Workstation context, Path pack) {
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            MainWindow window = MainWindow.create(context);
            window.show(new Stage());
            window.importPackWhenUnlocked(pack);
        });
    }

    @Override
    public String openAndClose(Workstation context, int timeoutSeconds) {
        CountDownLatch shown = new CountDownLatch(1);
        AtomicReference<String> title = new AtomicReference<>("");
        Platform.setImplicitExit(false);
        Platform.startup(() -> {
            Stage stage = new Stage();
            stage.setOnShown(e -> Platform.runLater(() -> { // close after the showing has finished
                title.set(stage.getTitle());
                stage.close();
                shown.countDown();
            }));
            MainWindow.create(context).show(stage);
        });
        try {
            if (!shown.await(timeoutSeconds, TimeUnit.SECONDS)) {
                throw new UserFacingException("The main window did not open within " + timeoutSeconds + " seconds.");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserFacingException("The smoke test was interrupted while the window opened.", e);
        } finally {
            Platform.exit();
        }
        return "Opened and closed the main window (\"" + title.get() + "\")";
    }
}
