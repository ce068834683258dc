package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Proposal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "vote", mixinStandardHelpOptions = true,
        description = {"Signs your votes on a proposal into your log in the vault (quadratic: n votes on an option cost "
                + "n*n voice credits; negative votes are against).",
                "Your latest vote replaces your earlier ones and overrides your delegation for this proposal."})
final class CoopVoteCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "PROPOSAL", description = "The proposal's id (or its first 8 or more digits).")
    String proposal;
    @Parameters(index = "1..*", arity = "1..*", paramLabel = "OPTION=N", description = "Votes on an option, e.g. yes=3 or no=-2.")
    List<String> votes;

    @Override
    public Integer call() {
        Map<String, Integer> parsed = new LinkedHashMap<>();
        for (String v : votes) {
            int eq = v.lastIndexOf('=');
            int n;
            try {
                n = Integer.parseInt(v.substring(eq + 1));
            } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
                n = 0;
                eq = -1;
            }
            if (eq < 1 || Math.abs((long) n) > 1_000) {
                throw new UserFacingException("A vote is OPTION=N with N a whole number such as 3 or -2, not '"
                        + TerminalText.safe(v) + "'.");
            }
            if (parsed.put(v.substring(0, eq), n) != null) {
                throw new UserFacingException("The option '" + TerminalText.safe(v.substring(0, eq))
                        + "' is named twice.");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            Proposal p = session.proposal(proposal);
            Map<String, Long> asLong = new LinkedHashMap<>();
            parsed.forEach((o, n) -> {
                if (n != 0) {
                    asLong.put(o, (long) n);
                }
            });
            CoopSession.plainly(() -> {
                g.checkVote(p.id(), asLong);
                return null;
            });
            session.write(GovernanceRecords.VOTE, GovernanceRecords.vote(p.id(), parsed));
            long cost = Governance.cost(asLong);
            int credits = g.policyFor(p.id()).credits();
            out.println("Voted on " + TerminalText.safe(p.text()) + " " + (asLong.isEmpty() ? "(no votes: abstained)"
                    : asLong.entrySet().stream().map(e -> TerminalText.safe(e.getKey()) + " " + e.getValue())
                    .reduce((a, b) -> a + ", " + b).orElseThrow()) + ".");
            out.println("Cost: " + cost + " of " + credits + " voice credits; " + (credits - cost) + " left.");
        }
        return SovereignCli.OK;
    }
}
