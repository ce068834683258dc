package org.sovereign.cli;

import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Scope;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Signs the end of your delegation in one scope into your log in the vault: for one proposal, one "
                + "area, or everything (the default). A proposal already closed keeps the delegation it included."})
final class CoopRevokeCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @ArgGroup(exclusive = true)
    CoopDelegateCommand.Where where = new CoopDelegateCommand.Where();

    @Override
    public Integer call() {
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Scope scope = where.scope(session);
            session.write(GovernanceRecords.REVOKE, GovernanceRecords.revoke(scope));
            spec.commandLine().getOut().println("Revoked your delegation " + CoopDelegateCommand.Where.describe(scope)
                    + ".");
        }
        return SovereignCli.OK;
    }
}
