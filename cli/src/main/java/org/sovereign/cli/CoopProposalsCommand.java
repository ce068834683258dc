package org.sovereign.cli;

import org.sovereign.mesh.governance.Closing;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.Tally;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(name = "proposals", mixinStandardHelpOptions = true,
        description = "Lists the proposals in the logs held in the vault, open ones first, with where each stands, and "
                + "the policy in force.")
final class CoopProposalsCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            Policy now = g.currentPolicy();
            out.println("Policy in force: " + now.credits() + " voice credits per member per proposal, "
                    + now.k() + " of " + now.stewards().size() + " stewards close, quorum " + now.quorum()
                    + ", steward floor " + now.stewardFloor() + " parts per million.");
            if (g.proposals().isEmpty()) {
                out.println("No proposals yet. Make one with 'sovereign coop propose'.");
                return SovereignCli.OK;
            }
            for (boolean open : new boolean[] {true, false}) {
                out.println(open ? "Open:" : "Closed:");
                int shown = 0;
                for (Proposal p : g.proposals().values()) {
                    if ((g.closing(p.id()).state() == Closing.State.CLOSED) == open) {
                        continue;
                    }
                    shown++;
                    out.println("  " + p.id().substring(0, 16) + "  " + p.kind().wireName() + " "
                            + TerminalText.safe(p.subject()) + ": " + TerminalText.safe(p.text()));
                    out.println("    " + status(g, p));
                }
                if (shown == 0) {
                    out.println("  none");
                }
            }
        }
        return SovereignCli.OK;
    }

    static String status(Governance g, Proposal p) {
        Closing c = g.closing(p.id());
        return switch (c.state()) {
            case OPEN -> {
                Tally t = g.tally(p.id());
                yield "open; " + t.uses().size() + (t.uses().size() == 1 ? " member counts" : " members count")
                        + " so far, " + t.winner().map(w -> "leading: " + TerminalText.safe(w)).orElse("no one leads")
                        + ". " + c.reason();
            }
            case CONFLICT -> "conflict: " + c.reason();
            case CLOSED -> "closed by " + c.signers().size() + " stewards: " + result(g, p) + "."
                    + (p.changesPolicy() && g.passed(p.id()) ? g.changeProblem(p.id())
                    .map(problem -> " It changes nothing: " + problem)
                    .orElse(inForce(g, p.id()) ? " In force." : " Not in force: another change passed under the same "
                            + "policy; propose it again.") : "");
        };
    }

    /** Whether {@code id} is on the chain of the policy in force (the tip or one of the changes it is made under). */
    static boolean inForce(Governance g, String id) {
        java.util.Optional<String> at = g.policyTip();
        while (at.isPresent()) {
            if (at.get().equals(id)) {
                return true;
            }
            at = g.proposals().get(at.get()).under();
        }
        return false;
    }

    static String result(Governance g, Proposal p) {
        Tally t = g.tally(p.id());
        return t.winner().map(w -> TerminalText.safe(w) + " wins").orElse(t.quorumMet() ? "no winner (a tie)"
                : "no winner (quorum of " + Math.max(p.quorum(), g.policyFor(p.id()).quorum()) + " not met)");
    }
}
