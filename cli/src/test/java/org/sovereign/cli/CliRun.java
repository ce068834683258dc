package org.sovereign.cli;

import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Runs the sovereign command line in this JVM on one data directory, as a person would type it, with no desktop
 * available, and keeps what the last command printed on standard output and standard error.
 */
final class CliRun {

    private final Path home;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    CliRun(Path home) {
        this.home = home;
    }

    /** Runs {@code args} with {@code --data-dir} added and returns the exit code. */
    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] full = Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--data-dir";
        full[args.length + 1] = home.toString();
        return new SovereignCli(noDesktop()).withStreams(new PrintWriter(out), new PrintWriter(err)).execute(full);
    }

    /** What the last command printed on standard output. */
    String out() {
        return out.toString();
    }

    /** What the last command printed on standard error. */
    String err() {
        return err.toString();
    }

    /** A desktop that is never there (the tests run headless). */
    static DesktopLauncher noDesktop() {
        return new DesktopLauncher() {
            @Override
            public boolean displayAvailable() {
                return false;
            }

            @Override
            public void launch(Workstation workstation) {
                throw new AssertionError("the desktop was launched");
            }
        };
    }
}
