package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.Consents;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.core.consent.Withdrawal;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.files.AtomicFiles;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentReceipt;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;

@Command(name = "consent", mixinStandardHelpOptions = true,
        description = "Give, list, withdraw, export and verify consent.",
        subcommands = {ConsentCommand.Grant.class, ConsentCommand.ListConsents.class, ConsentCommand.Withdraw.class,
                ConsentCommand.Export.class, ConsentCommand.Verify.class})
final class ConsentCommand {

    @ParentCommand
    RootCommand root;

    LocalStore unlock(PassphraseOptions passphrase) {
        return root.context(true).store().unlock(passphrase.read("Passphrase", false));
    }

    @Command(name = "grant", mixinStandardHelpOptions = true, description = "Gives a consent and prints its id.")
    static final class Grant implements Callable<Integer> {
        @ParentCommand
        ConsentCommand consent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Option(names = "--purpose", required = true, paramLabel = "P", description = "Why (e.g. 'private assistant').")
        List<String> purposes;
        @Option(names = "--operations", split = ",", paramLabel = "OPS", description = {"Any of index,embed,generate,share.",
                "Needed for files and folders; for network hosts alone it is 'share' (what they receive: the requests)."})
        List<String> operations;
        @Option(names = "--source", required = true, arity = "1..*", paramLabel = "PATH|net:HOST",
                description = {"Files or folders covered, or network hosts the workstation may contact:",
                        "net:huggingface.co, net:*.hf.co (every host under hf.co), net:* (any host)."})
        List<String> sources;
        @Option(names = "--pack", paramLabel = "DIGEST|any", description = "Model pack digest allowed (default: any).")
        String pack = "any";
        @Option(names = "--valid-days", paramLabel = "N", converter = NumberOptions.AtLeastOne.class,  description = "How long it is valid (default: ${DEFAULT-VALUE}).")
        int validDays = 365;
        @Option(names = "--notice", paramLabel = "TEXT", description = "The exact notice text shown to the person (default: generated from the terms).")
        String notice;

        @Override
        public Integer call() {
            List<Path> paths = new ArrayList<>();
            List<String> hosts = new ArrayList<>();
            for (String source : sources) {
                if (source.startsWith(NetworkPurposes.NET_SOURCE)) {
                    hosts.add(source.substring(NetworkPurposes.NET_SOURCE.length()));
                } else {
                    try {
                        paths.add(Path.of(source));
                    } catch (InvalidPathException e) {
                        throw new UserFacingException("'" + source + "' is neither a file or folder nor net:HOST.");
                    }
                }
            }
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            if (operations == null) {
                if (!paths.isEmpty()) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                            "Missing required option: '--operations=OPS' (for files and folders)");
                }
                ops.add(Operation.SHARE);
            } else {
                try {
                    operations.forEach(o -> ops.add(Operation.fromJson(o.strip())));
                } catch (IllegalArgumentException e) {
                    throw new UserFacingException(e.getMessage());
                }
            }
            if (validDays < 1 || validDays > 3650) {
                throw new UserFacingException("--valid-days must be between 1 and 3650.");
            }
            if (!"any".equals(pack) && !pack.matches("sha256:[0-9a-f]{64}")) {
                throw new UserFacingException("--pack must be 'any' or a digest like sha256:<64 hex digits>.");
            }
            try (LocalStore local = consent.unlock(passphrase)) {
                ConsentHistory h = new Consents(local, Clock.systemUTC()).grant(new GrantRequest(purposes, ops, paths,
                        hosts, "any".equals(pack) ? List.of() : List.of(pack), validDays, notice));
                spec.commandLine().getOut().println(h.recordId());
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every consent with its state.")
    static final class ListConsents implements Callable<Integer> {
        @ParentCommand
        ConsentCommand consent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (LocalStore local = consent.unlock(passphrase)) {
                List<ConsentHistory> all = StoreService.translate(() -> local.consent().all());
                if (all.isEmpty()) {
                    out.println("No consent has been given yet.");
                }
                Instant now = Instant.now();
                for (ConsentHistory h : all) {
                    ConsentTerms t = h.terms();
                    out.printf("%s  %-9s  until %s  %s  %s  %s%n", h.recordId(), h.statusAt(now).name().toLowerCase(Locale.ROOT),
                            t.validUntil(), String.join(",", t.operations().stream().sorted().map(Operation::jsonName).toList()),
                            TerminalText.safe(String.join(",", t.purposes())), TerminalText.safe(String.join(" ", t.sources())));
                }
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "withdraw", mixinStandardHelpOptions = true, description = "Withdraws a consent; it covers nothing from now on.")
    static final class Withdraw implements Callable<Integer> {
        @ParentCommand
        ConsentCommand consent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--erase", description = "Also erase what the library stored under this consent (sources no "
                + "other consent covers): their keys are destroyed, so the text can never be read again.")
        boolean erase;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (UnlockedWorkspace workspace = ServeCommand.unlockUnlessServing(consent.root.context(true), passphrase,
                    "withdraw " + id)) {
                requireKnown(workspace.store(), id);
                Withdrawal done = workspace.consents().withdraw(id, erase);
                out.println("Consent " + id + " withdrawn.");
                done.erased().forEach(root -> out.println("Erased from the library: " + TerminalText.safe(root)));
                done.kept().forEach(root -> out.println("Kept in the library (another consent covers it): "
                        + TerminalText.safe(root)));
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "export", mixinStandardHelpOptions = true, description = "Writes a self-verifying receipt of a consent.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        ConsentCommand consent;
        @Spec
        CommandSpec spec;
        @Mixin
        PassphraseOptions passphrase;
        @Parameters(paramLabel = "ID")
        String id;
        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path out;

        @Override
        public Integer call() throws IOException {
            try (LocalStore local = consent.unlock(passphrase)) {
                requireKnown(local, id);
                byte[] receipt = StoreService.translate(() -> local.consentReceipt(id));
                AtomicFiles.write(out, receipt);
                spec.commandLine().getOut().println("Receipt written to " + out.toAbsolutePath());
            }
            return SovereignCli.OK;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Verifies a consent receipt (no vault needed).")
    static final class Verify implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(paramLabel = "FILE")
        Path file;

        @Override
        public Integer call() {
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UserFacingException("The receipt " + file + " cannot be read.");
            }
            ConsentReceipt.Verified v = StoreService.translate(() -> ConsentReceipt.verify(bytes, Instant.now()));
            PrintWriter out = spec.commandLine().getOut();
            out.println("Valid receipt for consent " + v.recordId() + ": " + v.events().size() + " signed event(s), status now "
                    + v.statusAtCheck().name().toLowerCase(Locale.ROOT) + ".");
            out.println("Signed by device " + v.signerFingerprint() + " (compare with the fingerprint the workstation shows).");
            out.println(v.everyEventAudited()
                    ? "Every event is proven to be in that device's audit log."
                    : v.auditedEvents() + " of " + v.events().size() + " events carry a proof that they are in the device's audit log.");
            // the signed notice is someone else's text: each of its lines escaped and marked, so none of them can pass
            // for one of the lines above
            out.println("Notice, as signed (each line after '| '):");
            for (String line : v.terms().notice().split("\n", -1)) {
                out.println("  | " + TerminalText.safe(line));
            }
            return SovereignCli.OK;
        }
    }

    static void requireKnown(LocalStore local, String id) {
        try {
            local.consent().history(id);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("There is no consent " + id + ". 'sovereign consent list' shows them all.");
        }
    }

}
