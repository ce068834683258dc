package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Closing;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceException;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.RecordFiles;
import org.sovereign.mesh.governance.Tally;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.membership.Membership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "coop", mixinStandardHelpOptions = true,
        description = "Cooperative governance: proposals, quadratic votes, delegation and steward-signed closes, "
                + "recomputed from the members' signed records.",
        subcommands = {CoopCommand.TallyCommand.class, CoopProposeCommand.class, CoopVoteCommand.class,
                CoopDelegateCommand.class, CoopRevokeCommand.class, CoopCloseCommand.class, CoopProposalsCommand.class,
                CoopCosignCommand.class, CoopInstallCommand.class, CoopSplitCommand.class})
final class CoopCommand {
    @ParentCommand
    RootCommand root;

    @Command(name = "tally", mixinStandardHelpOptions = true,
            description = {"Recomputes a proposal's result from the signed records and prints it with the inputs used.",
                    "Reads the logs held in the vault, or with --records every *.jsonl file in a folder of exported "
                            + "records (one per line). The members and stewards are the signed roster of the "
                            + "cooperative this workstation joined; for another cooperative's records name them with "
                            + "--steward (and --member, else every author of the records counts)."})
    static final class TallyCommand implements Callable<Integer> {
        @ParentCommand
        CoopCommand coopCommand;
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "PROPOSAL", description = "The proposal's id (or its first 8 or more digits).")
        String proposal;
        @Option(names = "--records", paramLabel = "DIR", description = "Folder of exported records (default: the vault).")
        Path records;
        @Mixin
        CoopOptions options;
        @Mixin
        PassphraseOptions passphrase;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (records == null) {
                try (CoopSession session = CoopSession.open(coopCommand.root, options, passphrase)) {
                    print(out, session.governance(), session.proposal(proposal));
                }
                return SovereignCli.OK;
            }
            try {
                List<LogRecord> all = RecordFiles.read(records);
                Path dataDir = coopCommand.root.context(true).dataDirectory().path();
                String coop = options.coop(dataDir);
                java.util.Optional<Membership.Roster> roster = CoopOptions.genesisOf(dataDir, coop)
                        .map(genesis -> Membership.of(genesis, all, Set.of()).roster());
                Governance g = Governance.of(options.policy(coop, all, roster), all);
                Proposal p;
                try {
                    p = CoopSession.proposal(g, proposal);
                } catch (UserFacingException e) {
                    throw new UserFacingException("No proposal " + TerminalText.safe(proposal)
                            + " is among the records in " + records + ".");
                }
                print(out, g, p);
                return SovereignCli.OK;
            } catch (GovernanceException e) {
                throw new UserFacingException(e.getMessage());
            } catch (IOException e) {
                throw new UserFacingException("Cannot read the records folder " + records + ".");
            }
        }

        static void print(PrintWriter out, Governance g, Proposal p) {
            String proposal = p.id();
            Closing closing = g.closing(proposal);
            Tally t = g.tally(proposal);
            out.println("Proposal: " + TerminalText.safe(p.text()) + " (" + p.kind().wireName() + " "
                    + TerminalText.safe(p.subject()) + ", area " + p.area() + ")");
            out.println("State: " + closing.state().name().toLowerCase(java.util.Locale.ROOT) + ". "
                    + closing.reason());
            for (Map.Entry<String, Long> e : t.totals().entrySet()) {
                out.println("  " + TerminalText.safe(e.getKey()) + ": " + e.getValue());
            }
            out.println("Result: " + CoopProposalsCommand.result(g, p));
            out.println("Members counted: " + t.uses().size());
            for (Tally.Use use : t.uses().values()) {
                out.println("  " + use.member().substring(0, 16) + " "
                        + (use.direct() ? "voted" : "through " + String.join(" -> ",
                        use.path().subList(1, use.path().size()).stream().map(m -> m.substring(0, 16)).toList()))
                        + ", " + use.cost() + " credits");
            }
            out.println("Inputs: " + t.inputs().size() + " records, Merkle root " + t.root());
            long refused = g.refusals().size();
            if (refused > 0) {
                out.println("Refused records: " + refused);
                g.refusals().forEach(r -> out.println("  " + r.record().substring(0, 16) + ": " + r.reason()));
            }
        }
    }
}
