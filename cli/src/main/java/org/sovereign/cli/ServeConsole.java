package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.server.ApiClient;
import org.sovereign.server.ApiServer;
import org.sovereign.store.fs.PrivateFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a running {@code sovereign serve} offers on its terminal (ADR-0012): while it holds the vault, no other process
 * can open it, so revoking a client or withdrawing a consent is typed there ({@code revoke NAME}, {@code withdraw ID})
 * and takes effect on the client's next call. A second process that finds the vault held by a running {@code serve}
 * is told so ({@link #inUseHint}), through a marker file beside the vault that names the serving process.
 */
final class ServeConsole implements Runnable {

    /** Beside the vault while {@code serve} runs: the serving process's id. */
    static final String MARKER = "serve.running";
    static final String USAGE = "While it runs, type 'revoke NAME' to revoke a client, 'withdraw ID' to withdraw a "
            + "consent, 'clients' to list the clients, or 'stop'.";

    private final InputStream in;
    private final PrintWriter out;
    private final UnlockedWorkspace workspace;
    private final ApiServer server;
    private final Runnable stop;

    ServeConsole(InputStream in, PrintWriter out, UnlockedWorkspace workspace, ApiServer server, Runnable stop) {
        this.in = in;
        this.out = out;
        this.workspace = workspace;
        this.server = server;
        this.stop = stop;
    }

    /** Reads commands, one a line, until the input ends, {@code stop} is typed or the server stops. */
    @Override
    public void run() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while (!server.isStopping() && (line = reader.readLine()) != null) {
                if (!line.isBlank() && !handle(line.strip())) {
                    return;
                }
            }
        } catch (IOException e) {
            // the terminal went away: the server keeps running until stopped
        }
    }

    /** Runs one command; false for {@code stop}. */
    boolean handle(String line) {
        int space = line.indexOf(' ');
        String verb = (space < 0 ? line : line.substring(0, space)).toLowerCase(Locale.ROOT);
        String arg = space < 0 ? "" : line.substring(space + 1).strip();
        try {
            switch (verb) {
                case "revoke" -> {
                    requireArgument(arg, "revoke NAME");
                    ApiClient c = server.clients().revoke(arg);
                    say("Revoked '" + TerminalText.safe(c.name()) + "': its key no longer works and its consent is "
                            + "withdrawn; its next call is refused.");
                }
                case "withdraw" -> {
                    requireArgument(arg, "withdraw ID");
                    ConsentCommand.requireKnown(workspace.store(), arg);
                    workspace.consents().withdraw(arg, false);
                    say("Consent " + TerminalText.safe(arg) + " withdrawn; the client it binds is refused from its "
                            + "next call.");
                }
                case "clients" -> {
                    List<ApiClient> all = server.clients().list();
                    if (all.isEmpty()) {
                        say("No program is registered for the local API.");
                    }
                    all.forEach(c -> say(TerminalText.safe(c.name()) + "\t" + (c.isRevoked() ? "revoked" : "consent "
                            + c.consentId())));
                }
                case "stop" -> {
                    stop.run();
                    return false;
                }
                default -> say(USAGE);
            }
        } catch (UserFacingException | IllegalArgumentException | IllegalStateException e) {
            say(TerminalText.safe(e.getMessage()));
        }
        return true;
    }

    private static void requireArgument(String arg, String form) {
        if (arg.isEmpty()) {
            throw new UserFacingException("Type it as '" + form + "'.");
        }
    }

    private void say(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    // ---------------------------------------------------------------- the marker a second process reads

    /** Writes the marker (owner-only); returns it, to be removed when the server stops. Best effort. */
    static Optional<Path> mark(Path dataDir) {
        Path marker = dataDir.resolve(MARKER);
        try {
            Files.deleteIfExists(marker);
            PrivateFiles.createEmpty(marker);
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()));
            return Optional.of(marker);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static void unmark(Optional<Path> marker) {
        marker.ifPresent(m -> {
            try {
                Files.deleteIfExists(m);
            } catch (IOException ignored) {
                // a stale marker names a process that is gone, and is ignored
            }
        });
    }

    /**
     * When the vault is in use because {@code sovereign serve} runs on it, what to say instead: where to type
     * {@code command} so it takes effect while the server runs. Otherwise the exception itself.
     */
    static RuntimeException inUseHint(RuntimeException e, Path dataDir, String command) {
        Optional<Long> pid = servingProcess(dataDir);
        if (pid.isEmpty()) {
            return e;
        }
        return new UserFacingException("The vault is in use by 'sovereign serve' (process " + pid.get() + "). To do "
                + "this while it runs, type '" + command + "' in its terminal: it takes effect on the next call. Or "
                + "stop it with Ctrl+C and run this again.", e);
    }

    /** The process id a marker names, if that process is alive. */
    static Optional<Long> servingProcess(Path dataDir) {
        try {
            long pid = Long.parseLong(Files.readString(dataDir.resolve(MARKER)).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
