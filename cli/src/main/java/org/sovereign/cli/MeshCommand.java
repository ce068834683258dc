package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.log.Equivocation;
import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.net.GuardedSocketFactory;
import org.sovereign.mesh.net.KnownPeers;
import org.sovereign.mesh.net.MeshNode;
import org.sovereign.mesh.net.MeshProfile;
import org.sovereign.mesh.net.WeakMeshConfigurationException;
import org.sovereign.mesh.witness.Witness;
import org.sovereign.mesh.witness.WitnessRounds;
import org.sovereign.store.consent.ConsentHistory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

@Command(name = "mesh", mixinStandardHelpOptions = true,
        description = "The cooperative mesh: share signed records with the workstations of your cooperative (opt-in; "
                + "nothing is sent without your consent to share).",
        subcommands = {MeshCommand.Status.class, MeshCommand.Serve.class, MeshCreateCommand.class,
                MeshInviteCommand.class, MeshJoinCommand.class, MeshLeaveCommand.class, MeshAdmitCommand.class,
                MeshRemoveCommand.class, MeshWitnessesCommand.class, MeshExportCommand.class, MeshImportCommand.class})
final class MeshCommand {

    @ParentCommand
    RootCommand root;

    Path dataDir() {
        return root.context(true).dataDirectory().path();
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = {"Prints the cooperative this workstation belongs to, where it listens and the peers it knows.",
                    "With --unlock also the members' logs held in the vault (needs the passphrase)."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        MeshCommand mesh;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--unlock", description = "Also list the members' logs held in the vault.")
        boolean unlock;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = mesh.dataDir();
            Optional<MeshSettings> settings = MeshSettings.load(dir);
            if (settings.isEmpty()) {
                out.println("This workstation has not joined a cooperative. Start a member with "
                        + "'sovereign mesh serve --coop ID --consent CONSENT'.");
                return SovereignCli.OK;
            }
            MeshSettings s = settings.get();
            out.println("Cooperative: " + TerminalText.safe(s.cooperative()));
            out.println("Listens on: " + s.bindAddress() + ":" + s.port() + " while 'sovereign mesh serve' runs");
            List<String> peers = MeshSettings.knownPeers(dir);
            out.println("Known peers: " + (peers.isEmpty() ? "none yet" : TerminalText.safe(String.join(", ", peers))));
            if (!unlock) {
                out.println("Logs: run with --unlock to list the members' logs held in the vault.");
                MeshMembers.printRefusals(out, dir);
                return SovereignCli.OK;
            }
            try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
                MeshLog log = StoreService.translate(() -> new MeshLog(s.cooperative(),
                        RecordSigner.of(workspace.store().session()),
                        VaultRecordStore.open(workspace.store().session(), s.cooperative()), Clock.systemUTC()));
                printLogs(out, log);
                MeshMembers.printMembership(out, dir, workspace, s.cooperative());
            }
            return SovereignCli.OK;
        }
    }

    static void printLogs(PrintWriter out, MeshLog log) {
        Map<String, LogHead> heads = log.heads();
        long records = heads.values().stream().mapToLong(LogHead::seq).sum();
        out.println("Logs held: " + heads.size() + (heads.size() == 1 ? " member, " : " members, ") + records
                + (records == 1 ? " record" : " records"));
        List<LogHead> sorted = new ArrayList<>(heads.values());
        sorted.sort(Comparator.comparing(LogHead::author));
        for (LogHead head : sorted) {
            out.println("  " + head.author().substring(0, 16) + "  " + head.seq() + (head.seq() == 1 ? " record" : " records")
                    + ", head " + head.hash().substring(0, 12) + (head.author().equals(log.self()) ? "  (this device)" : ""));
        }
        Map<String, Equivocation> frozen = log.frozen();
        if (frozen.isEmpty()) {
            out.println("Frozen keys: none");
        } else {
            frozen.values().forEach(e -> out.println("Frozen key: " + e.author().substring(0, 16)
                    + " signed two different records at place " + e.seq() + " (both kept as evidence)"));
        }
    }

    @Command(name = "serve", mixinStandardHelpOptions = true,
            description = {"Runs this workstation as a member of the cooperative until stopped (Ctrl-C): it joins the "
                    + "peers it knows, exchanges the members' signed logs and keeps them in the vault.",
                    "Connections to peers need a consent whose purpose is 'mesh' and whose sources name the peers "
                            + "(net:HOST or net:*), e.g. sovereign consent grant --purpose mesh --operations share "
                            + "--source 'net:*'."})
    static final class Serve implements Callable<Integer> {
        /** How often a running member publishes its audit checkpoint and cosigns the others'. */
        static final Duration WITNESS_ROUND = Duration.ofSeconds(10);
        @ParentCommand
        MeshCommand mesh;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--coop", paramLabel = "ID", description = "The cooperative's id (default: the one saved by an earlier run).")
        String coop;
        @Option(names = "--consent", required = true, paramLabel = "ID", description = "The consent to share with the mesh.")
        String consentId;
        @Option(names = "--port", paramLabel = "PORT", converter = NumberOptions.AtLeastOne.class,
                description = "The port to listen on (default: the saved one, else " + MeshProfile.DEFAULT_PORT + ").")
        Integer port;
        @Option(names = "--peer", paramLabel = "HOST:PORT", description = "A peer to contact (repeatable); remembered.")
        List<String> peers = new ArrayList<>();
        @Option(names = "--stop-after", hidden = true, paramLabel = "SECONDS", converter = NumberOptions.AtLeastOne.class,
                description = "Leave after this many seconds (for tests).")
        Integer stopAfter;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            Path dir = mesh.dataDir();
            Optional<MeshSettings> saved = MeshSettings.load(dir);
            String cooperative = coop != null ? coop : saved.map(MeshSettings::cooperative).orElseThrow(() ->
                    new UserFacingException("Name the cooperative with --coop ID (no earlier run saved one)."));
            int listenPort = port != null ? port : saved.map(MeshSettings::port).orElse(MeshProfile.DEFAULT_PORT);
            if (port != null && port > 65_535) {
                throw new UserFacingException("--port is a number from 1 to 65535, not " + port + ".");
            }
            for (String peer : peers) {
                try {
                    KnownPeers.parse(peer);
                } catch (IllegalArgumentException e) {
                    throw new UserFacingException("--peer: " + e.getMessage());
                }
            }
            try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
                requireShareConsent(workspace, consentId);
                MeshSettings settings = new MeshSettings(cooperative, "127.0.0.1", listenPort);
                settings.save(dir);
                Path peersFile = MeshSettings.knownPeersFile(dir);
                KnownPeers.add(peersFile, peers);
                MeshMembers.Member member = MeshMembers.openJoined(workspace, dir, cooperative);
                LogSync sync = member != null ? member.sync() : StoreService.translate(() -> new LogSync(new MeshLog(
                        cooperative, RecordSigner.of(workspace.store().session()),
                        VaultRecordStore.open(workspace.store().session(), cooperative), Clock.systemUTC())));
                MeshProfile profile = MeshProfile.defaults(cooperative, listenPort, KnownPeers.load(peersFile));
                CountDownLatch stop = new CountDownLatch(1);
                Thread hook = new Thread(stop::countDown, "mesh-serve-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try (MeshNode node = MeshNode.join(profile, sync, workspace.network(), () -> consentId, peersFile,
                        member == null ? null : member.join())) {
                    if (member != null) {
                        MeshMembers.watch(node, workspace, consentId, dir, member, stop::countDown);
                    }
                    out.println("Joined cooperative " + TerminalText.safe(cooperative) + " as "
                            + workspace.store().deviceIdentity().fingerprint() + ", listening on 127.0.0.1:" + listenPort
                            + ". Press Ctrl-C to leave.");
                    out.flush();
                    Witness witness = new Witness(sync.log(), RecordSigner.of(workspace.store().session()),
                            workspace.store().signer().keyName(), Clock.systemUTC());
                    try (WitnessRounds rounds = WitnessRounds.start(witness, workspace.store().audit(), node::announce,
                            WITNESS_ROUND, problem -> {
                                out.println("Warning: " + problem);
                                out.flush();
                            })) {
                        if (stopAfter != null) {
                            stop.await(stopAfter, TimeUnit.SECONDS);
                        } else {
                            stop.await();
                        }
                    }
                    out.println("Leaving. Members in the last view: " + node.members().size() + ".");
                    printLogs(out, sync.log());
                } catch (WeakMeshConfigurationException e) {
                    throw new UserFacingException(e.getMessage());
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // Already shutting down.
                    }
                }
            }
            return SovereignCli.OK;
        }

        private static void requireShareConsent(UnlockedWorkspace workspace, String consentId) {
            ConsentHistory history;
            try {
                history = workspace.store().consent().history(consentId);
            } catch (RuntimeException e) {
                throw new UserFacingException("There is no consent " + consentId + ". Give one with 'sovereign consent "
                        + "grant --purpose mesh --operations share --source net:*' (or name each peer as net:HOST).");
            }
            if (!history.activeAt(Instant.now())) {
                throw new UserFacingException("The consent " + consentId + " is no longer in force.");
            }
            if (!history.terms().purposes().contains(GuardedSocketFactory.PURPOSE)) {
                throw new UserFacingException("The consent " + consentId + " does not cover the purpose 'mesh'.");
            }
        }
    }
}
