package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.server.ApiClient;
import org.sovereign.server.ApiClients;
import org.sovereign.server.ApiServer;
import org.sovereign.server.ClientStatus;
import org.sovereign.server.LocalApi;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.vault.VaultInUseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "serve", mixinStandardHelpOptions = true, subcommands = ServeCommand.Clients.class,
        description = {"Serves a local OpenAI-compatible API (/v1/models, /v1/chat/completions, /v1/embeddings,",
                "/v1/sovereign/ask) until stopped with Ctrl+C. It listens on this computer only unless --bind names",
                "another address. Each program needs its own key ('sovereign serve clients add'), bound to a consent;",
                "every call is recorded in the audit log without its text."})
final class ServeCommand implements Callable<Integer> {

    /** Stops the running {@code serve} of this JVM (tests); set while one runs. */
    static final AtomicReference<Runnable> STOP = new AtomicReference<>();
    /**
     * Where the console of {@code serve} ({@link ServeConsole}) reads its commands; unset, standard input when it is a
     * terminal. Tests set it.
     */
    static final AtomicReference<InputStream> CONSOLE_INPUT = new AtomicReference<>();

    @ParentCommand
    RootCommand root;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;

    @Option(names = "--port", paramLabel = "PORT", description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 for any free one).")
    int port = ApiServer.DEFAULT_PORT;
    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Listen on ADDRESS instead of 127.0.0.1; other machines may then reach the API.")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65_535) {
            throw new UserFacingException("--port must be a number from 0 to 65535.");
        }
        ApiServer.Options options = ApiServer.Options.loopback(port);
        if (bind != null) {
            options = options.bind(bind.strip());
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.beyondLoopback()) {
            err.println("Warning: listening on " + TerminalText.safe(bind) + " lets other machines reach this API. Each "
                    + "client still needs its key and its consent, but the traffic is not encrypted.");
            err.flush();
        }
        Workstation context = root.context(true);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS); // let the server end its streams and lock the vault
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sovereign-serve-stop");
        Optional<Path> marker = Optional.empty();
        try (UnlockedWorkspace workspace = context.unlock(passphrase.read("Passphrase", false));
             ApiServer server = start(workspace, context, options)) {
            out.println("The local API listens on " + server.baseUrl() + " (" + clientCount(server) + "). Stop it "
                    + "with Ctrl+C.");
            marker = ServeConsole.mark(context.dataDirectory().path());
            InputStream console = CONSOLE_INPUT.get() != null ? CONSOLE_INPUT.get()
                    : System.console() != null ? System.in : null;
            if (console != null) {
                out.println(ServeConsole.USAGE);
                Thread t = new Thread(new ServeConsole(console, out, workspace, server, stop::countDown),
                        "sovereign-serve-console");
                t.setDaemon(true); // blocked on the terminal until a line comes; the process may end meanwhile
                t.start();
            }
            out.flush();
            Runtime.getRuntime().addShutdownHook(hook);
            STOP.set(stop::countDown);
            stop.await();
        } finally {
            ServeConsole.unmark(marker);
            STOP.set(null);
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException | IllegalArgumentException shuttingDownOrNotAdded) {
                // the hook is running or was never added
            }
        }
        out.println("The local API stopped.");
        return SovereignCli.OK;
    }

    /**
     * Unlocks the workspace; when the vault is held by a running {@code serve}, says to type {@code consoleCommand} in
     * its terminal instead (ADR-0012).
     */
    static UnlockedWorkspace unlockUnlessServing(Workstation context, PassphraseOptions passphrase,
                                                 String consoleCommand) {
        try {
            return context.unlock(passphrase.read("Passphrase", false));
        } catch (UserFacingException e) {
            if (e.getCause() instanceof VaultInUseException) {
                throw ServeConsole.inUseHint(e, context.dataDirectory().path(), consoleCommand);
            }
            throw e;
        }
    }

    private static String clientCount(ApiServer server) {
        long n = server.clients().list().stream().filter(c -> !c.isRevoked()).count();
        return n == 0 ? "no client is registered yet: add one with 'sovereign serve clients add NAME'"
                : n == 1 ? "1 client" : n + " clients";
    }

    private static ApiServer start(UnlockedWorkspace workspace, Workstation context, ApiServer.Options options) {
        try {
            return LocalApi.open(workspace, context.packs(), options);
        } catch (LocalApi.StartFailure e) {
            if (e.portInUse()) {
                throw new UserFacingException("Port " + options.port() + " is in use; choose another with --port.", e);
            }
            throw e;
        }
    }

    @Command(name = "clients", mixinStandardHelpOptions = true,
            subcommands = {Clients.Add.class, Clients.ListClients.class, Clients.Revoke.class},
            description = "Registers, lists and revokes the programs that may use the local API.")
    static final class Clients {
        @ParentCommand
        ServeCommand serve;

        private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMM yyyy", Locale.ENGLISH)
                .withZone(ZoneOffset.UTC);

        UnlockedWorkspace unlock(PassphraseOptions passphrase) {
            return serve.root.context(true).unlock(passphrase.read("Passphrase", false));
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = {"Registers a program and prints its key once (it is stored only as a hash).",
                        "The key is bound to a new consent: what the program may do, with which packs, for how long."})
        static final class Add implements Callable<Integer> {
            @ParentCommand
            Clients clients;
            @Spec
            CommandSpec spec;
            @Mixin
            PassphraseOptions passphrase;
            @Parameters(paramLabel = "NAME", description = "What you call the program, e.g. editor.")
            String name;
            @Option(names = "--operations", split = ",", paramLabel = "OPS", description = "generate, embed or both (default: generate).")
            List<String> operations = List.of("generate");
            @Option(names = "--pack", paramLabel = "NAME", description = "A pack the program may use (repeat for more; default: any installed pack).")
            List<String> packs = new ArrayList<>();
            @Option(names = "--source", paramLabel = "PATH", description = "A library folder the program may ask about (repeat for more; default: none).")
            List<Path> sources = new ArrayList<>();
            @Option(names = "--valid-days", paramLabel = "N", converter = NumberOptions.AtLeastOne.class, description = "How long its consent lasts (default: ${DEFAULT-VALUE}).")
            int validDays = 90;

            @Override
            public Integer call() {
                Set<Operation> ops = EnumSet.noneOf(Operation.class);
                for (String o : operations) {
                    switch (o.strip().toLowerCase(Locale.ROOT)) {
                        case "generate" -> ops.add(Operation.GENERATE);
                        case "embed" -> ops.add(Operation.EMBED);
                        default -> throw new UserFacingException("--operations takes generate, embed or both, not '"
                                + TerminalText.safe(o) + "'.");
                    }
                }
                if (validDays > 3650) {
                    throw new UserFacingException("--valid-days must be between 1 and 3650.");
                }
                Workstation context = clients.serve.root.context(true);
                List<String> digests = packs.stream().map(p -> context.packs().runtime().pack(p).digest()).toList();
                try (UnlockedWorkspace workspace = clients.unlock(passphrase)) {
                    ApiClients.Registration r = new ApiClients(workspace, Clock.systemUTC())
                            .add(new ApiClients.ClientGrant(name, ops, digests, sources, validDays));
                    try {
                        PrintWriter out = spec.commandLine().getOut();
                        out.println("Registered '" + TerminalText.safe(r.client().name()) + "'. Its key, shown only this once:");
                        out.println(r.key());
                        out.flush();
                    } finally {
                        r.wipe();
                    }
                }
                return SovereignCli.OK;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the programs registered, with their state.")
        static final class ListClients implements Callable<Integer> {
            @ParentCommand
            Clients clients;
            @Spec
            CommandSpec spec;
            @Mixin
            PassphraseOptions passphrase;

            @Override
            public Integer call() {
                PrintWriter out = spec.commandLine().getOut();
                try (UnlockedWorkspace workspace = clients.unlock(passphrase)) {
                    List<ClientStatus> all = new LocalApi(workspace, clients.serve.root.context(true).packs())
                            .clientStatuses();
                    if (all.isEmpty()) {
                        out.println("No program is registered for the local API.");
                    }
                    for (ClientStatus c : all) {
                        out.println(TerminalText.safe(c.client().name()) + "\t" + state(c) + "\tregistered "
                                + DAY.format(c.client().created()));
                    }
                }
                return SovereignCli.OK;
            }

            private static String state(ClientStatus c) {
                return switch (c.state()) {
                    case REVOKED -> "revoked " + DAY.format(c.client().revoked());
                    case MAY_CALL -> "may call until " + DAY.format(c.validUntil()) + " ("
                            + String.join(", ", c.operations().stream().sorted().map(Operation::jsonName).toList()) + ")";
                    case CONSENT_WITHDRAWN -> "consent withdrawn";
                    case CONSENT_ENDED -> "consent expired";
                    case CONSENT_UNREADABLE -> "consent unreadable";
                };
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a program's key and withdraws its consent.")
        static final class Revoke implements Callable<Integer> {
            @ParentCommand
            Clients clients;
            @Spec
            CommandSpec spec;
            @Mixin
            PassphraseOptions passphrase;
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                Workstation context = clients.serve.root.context(true);
                try (UnlockedWorkspace workspace = unlockUnlessServing(context, passphrase, "revoke " + name)) {
                    ApiClient c = new ApiClients(workspace, Clock.systemUTC()).revoke(name);
                    spec.commandLine().getOut().println("Revoked '" + TerminalText.safe(c.name())
                            + "': its key no longer works and its consent is withdrawn.");
                }
                return SovereignCli.OK;
            }
        }
    }
}
