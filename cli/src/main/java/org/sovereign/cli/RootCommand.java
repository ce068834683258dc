package org.sovereign.cli;

import org.sovereign.cli.logging.LoggingSetup;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.config.DataDirectoryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "sovereign",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        subcommands = {DoctorCommand.class, VaultCommand.class, ConsentCommand.class, AuditCommand.class,
                PackCommand.class, GenerateCommand.class, EmbedCommand.class, AskCommand.class,
                LibraryCommands.Index.class, LibraryCommands.Search.class, ConversationsCommand.class,
                ServeCommand.class},
        description = {
                "Sovereign Workstation: local AI on your own hardware, under your own control.",
                "With no command, opens the desktop workstation."},
        footer = {"", "Exit codes: 0 ok, 1 bad input or missing requirement, 2 internal error (details in the log)."})
final class RootCommand implements Callable<Integer> {

    @Option(names = "--data-dir", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where the workstation keeps its data (default: SOVEREIGN_HOME, else the system's app data folder).")
    Path dataDir;

    private final DesktopLauncher desktop;
    private Workstation context;
    private boolean desktopStarted;

    RootCommand(DesktopLauncher desktop) {
        this.desktop = desktop;
    }

    @Override
    public Integer call() {
        if (!desktop.displayAvailable()) {
            throw new UserFacingException("No display is available, so the desktop window cannot open here. "
                    + "The command line works: run 'sovereign --help'.");
        }
        desktop.launch(context(true));
        desktopStarted = true;
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
