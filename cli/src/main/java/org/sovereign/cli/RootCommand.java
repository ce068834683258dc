package org.sovereign.cli;

import org.sovereign.cli.logging.LoggingSetup;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.config.DataDirectoryException;
import org.sovereign.core.services.SmokeTest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "sovereign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {DoctorCommand.class, VaultCommand.class, ConsentCommand.class, AuditCommand.class,
                PackCommand.class, GenerateCommand.class, EmbedCommand.class, AskCommand.class,
                LibraryCommands.Index.class, LibraryCommands.Search.class, ConversationsCommand.class,
                MeshCommand.class, ServeCommand.class, CoopCommand.class},
        description = {
                "Sovereign Workstation: local AI on your own hardware, under your own control.",
                "With no command, opens the desktop workstation."},
        footer = {"", "Exit codes: 0 ok, 1 bad input or missing requirement, 2 internal error (details in the log)."})
final class RootCommand implements Callable<Integer> {

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the workstation keeps its data (default: SOVEREIGN_HOME, else the system's app data folder).")
    Path dataDir;

    @Option(names = "--smoke-test", description = {"Checks this installed copy without touching your data: a throwaway vault, "
            + "the bundled pack, one sentence indexed and found, the audit log verified, and the main window opened "
            + "and closed when a display exists. Prints each step; exit code 0 when all passed."})
    boolean smokeTest;

    @Parameters(arity = "0..1", paramLabel = "PACK.mpack",
            description = "A model pack to import in the window (what opening a .mpack file from the file manager does).")
    Path packFile;

    @Spec
    CommandSpec spec;

    private final DesktopLauncher desktop;
    private Workstation context;
    private boolean desktopStarted;

    RootCommand(DesktopLauncher desktop) {
        this.desktop = desktop;
    }

    @Override
    public Integer call() {
        if (smokeTest) {
            return smokeTest();
        }
        if (packFile != null && !packFile.toString().endsWith(".mpack")) {
            throw new UserFacingException("'" + TerminalText.safe(packFile.toString()) + "' is not a command. "
                    + "Run 'sovereign --help' for the commands.");
        }
        if (!desktop.displayAvailable()) {
            throw new UserFacingException("No display is available, so the desktop window cannot open here. "
                    + "The command line works: run 'sovereign --help'.");
        }
        if (packFile != null) {
            String name = packFile.getFileName() == null ? "" : packFile.getFileName().toString();
            if (!name.endsWith(".mpack") || !Files.isRegularFile(packFile)) {
                throw new UserFacingException("'" + TerminalText.safe(packFile.toString()) + "' is neither a command nor "
                        + "a .mpack file. Run 'sovereign --help' for the commands.");
            }
            desktop.launch(context(true), packFile.toAbsolutePath().normalize());
        } else {
            desktop.launch(context(true));
        }
        desktopStarted = true;
        return SovereignCli.OK;
    }

    private int smokeTest() {
        PrintWriter out = spec.commandLine().getOut();
        new SmokeTest(step -> {
            out.println("ok  " + TerminalText.safe(step));
            out.flush();
        }).run();
        if (desktop.displayAvailable()) {
            Path dir;
            try {
                dir = Files.createTempDirectory("sovereign-smoke-window-");
            } catch (IOException e) {
                throw new UserFacingException("The smoke test could not create a temporary folder: " + e.getMessage(), e);
            }
            DataDirectory data = DataDirectory.resolve(dir).ensureExists();
            out.println("ok  " + TerminalText.safe(desktop.openAndClose(
                    Workstation.create(data, data.logDirectory().resolve("sovereign.log")), 60)));
        } else {
            out.println("--  No display here, so the main window was not opened.");
        }
        out.println("The smoke test passed.");
        return SovereignCli.OK;
    }

    boolean desktopStarted() {
        return desktopStarted;
    }

    /**
     * The services for this run, built on first use. With {@code requireDataDir} a data directory that cannot be
     * created is an error; without it (doctor) the problem is reported by the command instead.
     */
    Workstation context(boolean requireDataDir) {
        if (context == null) {
            DataDirectory dir = DataDirectory.resolve(dataDir);
            Path logFile = dir.logDirectory().resolve("sovereign.log");
            try {
                dir.ensureExists();
                logFile = LoggingSetup.start(dir.logDirectory());
                // DJL never fetches anything; its tokenizer library is unpacked into a private folder per run
                // (TextTokenizer), never into the data directory, where a planted copy would be loaded
                System.setProperty("ai.djl.offline", "true");
            } catch (DataDirectoryException e) {
                if (requireDataDir) {
                    throw e;
                }
            }
            context = Workstation.create(dir, logFile);
        }
        return context;
    }

    /** Frees the models this run loaded, if it loaded any. */
    void unloadModels() {
        if (context != null) {
            context.packs().runtime().unloadModels();
        }
    }

    String logFileForMessages() {
        return context != null ? context.logFile().toString() : DataDirectory.resolve(dataDir).logDirectory().resolve("sovereign.log").toString();
    }
}
