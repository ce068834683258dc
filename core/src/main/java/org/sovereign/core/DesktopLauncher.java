package org.sovereign.core;

import org.sovereign.core.common.UserFacingException;

import java.nio.file.Path;

/** Opens the desktop window. Implemented by the UI layer so that the CLI does not depend on JavaFX classes. */
public interface DesktopLauncher {

    /** True when a window can be shown here (a display is available). */
    boolean displayAvailable();

    /** Starts the desktop workstation and returns at once; the window keeps the JVM running. */
    void launch(Workstation context);

    /**
     * Starts the desktop workstation and, once the vault is unlocked, begins importing {@code pack} (a {@code .mpack}
     * the person opened from their file manager) with its trust check; returns at once.
     */
    default void launch(Workstation context, Path pack) {
        launch(context);
    }

    /**
     * For the smoke test of an installed copy: opens the main window on {@code context}, waits until it is showing,
     * closes it and returns; blocks up to {@code timeoutSeconds}. Then stops the window toolkit.
     *
     * @return a plain sentence on what happened ("The main window opened and closed.")
     * @throws org.sovereign.core.common.UserFacingException when the window did not open in time
     */
    default String openAndClose(Workstation context, int timeoutSeconds) {
        throw new UserFacingException("This launcher cannot open a window.");
    }
}
