package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Closing;
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
import java.util.concurrent.Callable;

@Command(name = "close", mixinStandardHelpOptions = true,
        description = {"For stewards: signs the close of a proposal into your log in the vault, over every vote and "
                + "delegation you hold for it now.",
                "The proposal is closed once enough stewards sign the same close; votes it does not include never "
                        + "count."})
final class CoopCloseCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            Proposal p = session.proposal(proposal);
            if (!g.policy().stewards().contains(session.self())) {
                throw new UserFacingException("Only stewards sign closes; this device's key "
                        + session.self().substring(0, 16) + " is not one.");
            }
            var body = CoopSession.plainly(() -> g.closeBody(p.id()));
            session.write(GovernanceRecords.CLOSE, body);
            Closing c = session.governance().closing(p.id());
            out.println("Signed the close of " + TerminalText.safe(p.text()) + " over " + body.get("inputs").size()
                    + " records (Merkle root " + body.get("root").asText() + ").");
            out.println(c.state() == Closing.State.CLOSED ? "The proposal is closed: "
                    + CoopProposalsCommand.result(session.governance(), p) + "." : c.reason());
        }
        return SovereignCli.OK;
    }
}
