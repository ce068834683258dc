package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Scope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "delegate", mixinStandardHelpOptions = true,
        description = {"Signs a delegation of your vote to another member into your log in the vault: for one "
                + "proposal, one area, or everything (the default).",
                "The most specific delegation applies; your own vote on a proposal overrides it; revoke it with "
                        + "'sovereign coop revoke' until the proposal is closed."})
final class CoopDelegateCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "KEY", description = "The member you delegate to (their key, hex).")
    String to;
    @ArgGroup(exclusive = true)
    Where where = new Where();

    /** The scope options shared by delegate and revoke. */
    static final class Where {
        @Option(names = "--proposal", paramLabel = "PROPOSAL", description = "Only for this proposal.")
        String proposal;
        @Option(names = "--area", paramLabel = "AREA", description = "Only for proposals of this area.")
        String area;

        Scope scope(CoopSession session) {
            if (proposal != null) {
                return Scope.proposal(session.proposal(proposal).id());
            }
            if (area != null) {
                if (!area.matches("[a-z0-9][a-z0-9._-]{0,63}")) {
                    throw new UserFacingException("An area is 1 to 64 lower-case letters, digits, dots, dashes or "
                            + "underscores, not '" + TerminalText.safe(area) + "'.");
                }
                return Scope.area(area);
            }
            return Scope.global();
        }

        static String describe(Scope scope) {
            return switch (scope.kind()) {
                case GLOBAL -> "for every proposal";
                case AREA -> "for proposals of the area " + scope.name();
                case PROPOSAL -> "for proposal " + scope.name().substring(0, 16);
            };
        }
    }

    @Override
    public Integer call() {
        CoopOptions.requireKeys("KEY", List.of(to));
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            if (!session.governance().policy().members().contains(to)) {
                throw new UserFacingException("The key " + to.substring(0, 16) + " is not a member of the cooperative.");
            }
            if (to.equals(session.self())) {
                throw new UserFacingException("You cannot delegate to yourself.");
            }
            Scope scope = where.scope(session);
            session.write(GovernanceRecords.DELEGATE, GovernanceRecords.delegate(scope, to));
            spec.commandLine().getOut().println("Delegated your vote " + Where.describe(scope) + " to "
                    + to.substring(0, 16) + ".");
        }
        return SovereignCli.OK;
    }
}
