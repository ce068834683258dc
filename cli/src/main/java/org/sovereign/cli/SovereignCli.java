package org.sovereign.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.PackFailure;
import org.sovereign.store.audit.log.AuditTamperedException;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.vault.VaultException;
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
    /**
     * Built on first use, never for a plain {@code sovereign} that opens the window: picocli reads the annotations of
     * every command, and its classes (Java 5 bytecode) cannot go into the class-data sharing archive, which together
     * cost about 0.2 s of the start to the unlock window.
     */
    private CommandLine commandLine;
    private PrintWriter out;
    private PrintWriter err;

    public SovereignCli(DesktopLauncher desktop) {
        this.root = new RootCommand(desktop);
    }

    /** Output streams for tests; by default stdout and stderr. */
    public SovereignCli withStreams(PrintWriter out, PrintWriter err) {
        this.out = out;
        this.err = err;
        if (commandLine != null) {
            commandLine.setOut(out);
            commandLine.setErr(err);
        }
        return this;
    }

    private CommandLine commandLine() {
        if (commandLine == null) {
            commandLine = new CommandLine(root)
                    .setParameterExceptionHandler(this::badInput)
                    .setExecutionExceptionHandler(this::failure);
            if (out != null) {
                commandLine.setOut(out);
                commandLine.setErr(err);
            }
        }
        return commandLine;
    }

    public int execute(String... args) {
        if (args.length == 0) {
            return openDesktop();
        }
        CommandLine cli = commandLine();
        int code = cli.execute(args);
        if (!root.desktopStarted()) {
            root.unloadModels(); // a command is done with its models (tests run many commands in one JVM)
        }
        cli.getOut().flush();
        cli.getErr().flush();
        return code;
    }

    /** No arguments: the window, with the same error reporting as a command. */
    private int openDesktop() {
        PrintWriter errors = err != null ? err : new PrintWriter(System.err, true);
        try {
            return root.call();
        } catch (Exception e) {
            return failure(e, errors, "sovereign");
        } finally {
            errors.flush();
        }
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
        return e instanceof VaultException
                || e instanceof AuditTamperedException
                || e instanceof ConsentRefusedException
                || e instanceof InvalidConsentException;
    }

    private int failure(Exception e, CommandLine cmd, CommandLine.ParseResult parseResult) {
        return failure(e, cmd.getErr(), cmd.getCommandSpec().qualifiedName());
    }

    /** A copy of {@code e} and its causes with only the exception types and stack frames, no messages. */
    static Throwable withoutMessages(Throwable e) {
        Throwable cause = e.getCause() != null && e.getCause() != e ? withoutMessages(e.getCause()) : null;
        Throwable copy = new RedactedException(e.getClass().getName(), cause);
        copy.setStackTrace(e.getStackTrace());
        return copy;
    }

    /** Stands in for an exception in the log: its type, without its message. */
    static final class RedactedException extends Exception {
        RedactedException(String type, Throwable cause) {
            super(type + " (message not logged)", cause, false, true);
        }
    }

    private int failure(Exception e, PrintWriter err, String command) {
        if (e instanceof PackFailure p) {
            err.println(PackAdvice.of(p));
            return USER_ERROR;
        }
        if (e instanceof UserFacingException || isPlainDomainFailure(e)) {
            err.println(TerminalText.safe(e.getMessage())); // messages may name files or quote a pack's fields
            return USER_ERROR;
        }
        Logger log = LoggerFactory.getLogger(SovereignCli.class);
        // the message stays on the terminal; the log gets the types and the stack only, since an exception's message
        // can quote a decrypted path or document text, and the log holds no user content
        log.error("Command '{}' failed", command, withoutMessages(e));
        err.println("Internal error: " + TerminalText.safe(e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())
                + ". Details are in the log: " + root.logFileForMessages());
        return INTERNAL_ERROR;
    }
}
