package org.sovereign.cli;

import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

/** The command line in a child JVM of a test (for environments the test JVM cannot have, such as another locale). */
public final class ChildCli {

    private ChildCli() {
    }

    public static void main(String[] args) {
        int code = new SovereignCli(new DesktopLauncher() {
            @Override
            public boolean displayAvailable() {
                return false;
            }

            @Override
            public void launch(Workstation context) {
            }
        }).execute(args);
        System.exit(code);
    }
}
