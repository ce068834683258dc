package org.sovereign.archfixture;

import org.sovereign.cli.SovereignCli;

/** A deliberate violation of the desktop/CLI split, used only to prove that rule can fail. */
public class DesktopClassUsingCli {
    public Class<?> leak() {
        return SovereignCli.class;
    }
}
