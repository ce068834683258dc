package org.sovereign.cli;

import org.sovereign.core.Version;
import picocli.CommandLine.IVersionProvider;

final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {"Sovereign Workstation " + Version.application() + " (build " + Version.current() + ")",
                "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
