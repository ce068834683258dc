package org.sovereign.app.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.app.UserFacingException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * The {@code sovereign} command line: parsing, exit codes and error reporting. Commands hold no logic of their own;
 * they call the same services as the desktop window.
 */
public final class SovereignCli {

    public static final int OK = 0;
    public static final int USER_ERROR = 1;
    public static final int INTERNAL_ERROR = 2;

    private final RootCommand root;
    private final CommandLine commandLine;

    public SovereignCli(DesktopLauncher desktop) {
        this.root = new RootCommand(desktop);
        this.commandLine = new CommandLine(root)
                .setParameterExceptionHandler(this::badInput)
                .setExecutionExceptionHandler(this::failure);
    }

    /** Output streams for tests; by default stdout and stderr. */
    public SovereignCli withStreams(PrintWriter out, PrintWriter err) {
        commandLine.setOut(out);
        commandLine.setErr(err);
        return this;
    }

    public int execute(String... args) {
        int code = commandLine.execute(args);
        if (!root.desktopStarted()) {
            root.unloadModels(); // a command is done with its models (tests run many commands in one JVM)
        }
        commandLine.getOut().flush();
        commandLine.getErr().flush();
        return code;
    }

    /** True when the run opened the desktop window (the caller must then not exit the JVM). */
    public boolean desktopStarted() {
        return root.desktopStarted();
    }

    private int badInput(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        err.println(e.getMessage());
        err.println("Run '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' to see what it accepts.");
        return USER_ERROR;
    }

    /** The store's typed failures carry plain messages meant for people. */
    private static boolean isPlainDomainFailure(Exception e) {
        return e instanceof org.sovereign.store.vault.VaultException
                || e instanceof org.sovereign.store.audit.log.AuditTamperedException
                || e instanceof org.sovereign.store.consent.ConsentRefusedException
                || e instanceof org.sovereign.store.consent.InvalidConsentException;
    }

    private int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        if (e instanceof UserFacingException || isPlainDomainFailure(e)) {
            err.println(e.getMessage());
            return USER_ERROR;
        }
        Logger log = LoggerFactory.getLogger(SovereignCli.class);
        log.error("Command '{}' failed", cmd.getCommandSpec().qualifiedName(), e);
        err.println("Internal error: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                + ". Details are in the log: " + root.logFileForMessages());
        return INTERNAL_ERROR;
    }
}
