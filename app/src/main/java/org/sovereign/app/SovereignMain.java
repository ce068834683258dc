package org.sovereign.app;

import org.sovereign.app.ui.WorkstationLauncher;
import org.sovereign.cli.SovereignCli;

/**
 * Entry point of the {@code sovereign} launcher. With no arguments (or only {@code --data-dir}) it opens the desktop
 * workstation; with a command it runs the CLI and exits with its code (0 ok, 1 bad input, 2 internal error).
 */
public final class SovereignMain {

    private SovereignMain() {
    }

    public static void main(String[] args) {
        SovereignCli cli = new SovereignCli(new WorkstationLauncher());
        int code = cli.execute(args);
        if (!cli.desktopStarted()) {
            System.exit(code);
        }
        // The desktop window keeps the JVM alive; it exits when the last window closes.
    }
}
