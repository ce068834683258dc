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
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
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
        subcommands = {CoopCommand.TallyCommand.class})
final class CoopCommand {

    @Command(name = "tally", mixinStandardHelpOptions = true,
            description = {"Recomputes a proposal's result from exported records and prints it with the inputs used.",
                    "Every *.jsonl file in the records folder holds records, one per line. Until admission records "
                            + "exist, every author in the folder and every steward named counts as a member."})
    static final class TallyCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Parameters(index = "0", paramLabel = "PROPOSAL", description = "The proposal's id (its record hash).")
        String proposal;
        @Option(names = "--records", required = true, paramLabel = "DIR", description = "Folder of exported records.")
        Path records;
        @Option(names = "--coop", required = true, paramLabel = "ID", description = "The cooperative's id.")
        String coop;
        @Option(names = "--steward", required = true, paramLabel = "KEY",
                description = "A steward's key (hex); repeat for each steward.")
        List<String> stewards;
        @Option(names = "--k", paramLabel = "N", defaultValue = "1",
                description = "How many stewards must sign a close (default: ${DEFAULT-VALUE}).")
        int k;
        @Option(names = "--credits", paramLabel = "C", defaultValue = "100",
                description = "Voice credits per member per proposal (default: ${DEFAULT-VALUE}).")
        int credits;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                List<LogRecord> all = RecordFiles.read(records);
                Set<String> members = new HashSet<>(stewards);
                all.forEach(r -> members.add(r.author()));
                Policy policy;
                try {
                    policy = new Policy(coop, members, Set.copyOf(stewards), k, credits);
                } catch (IllegalArgumentException e) {
                    throw new UserFacingException(e.getMessage());
                }
                Governance g = Governance.of(policy, all);
                Proposal p = g.proposals().get(proposal);
                if (p == null) {
                    throw new UserFacingException("No proposal " + TerminalText.safe(proposal)
                            + " is among the records in " + records + ".");
                }
                Closing closing = g.closing(proposal);
                Tally t = g.tally(proposal);
                out.println("Proposal: " + TerminalText.safe(p.text()) + " (" + p.kind().wireName() + " "
                        + TerminalText.safe(p.subject()) + ", area " + p.area() + ")");
                out.println("State: " + closing.state().name().toLowerCase(java.util.Locale.ROOT) + ". "
                        + closing.reason());
                for (Map.Entry<String, Long> e : t.totals().entrySet()) {
                    out.println("  " + TerminalText.safe(e.getKey()) + ": " + e.getValue());
                }
                out.println("Result: " + t.winner().map(w -> TerminalText.safe(w) + " wins")
                        .orElse(t.quorumMet() ? "no winner (a tie)" : "no winner (quorum of " + p.quorum()
                                + " not met)"));
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
                return SovereignCli.OK;
            } catch (GovernanceException e) {
                throw new UserFacingException(e.getMessage());
            } catch (IOException e) {
                throw new UserFacingException("Cannot read the records folder " + records + ".");
            }
        }
    }
}
