package org.sovereign.core;

import org.sovereign.core.Workstation;

/** Opens the desktop window. Implemented by the UI layer so that the CLI does not depend on JavaFX classes. */
public interface DesktopLauncher {

    /** True when a window can be shown here (a display is available). */
    boolean displayAvailable();

    /** Starts the desktop workstation and returns at once; the window keeps the JVM running. */
    void launch(Workstation context);
}
