package org.sovereign.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.Membership;
import org.sovereign.mesh.membership.MembershipRecords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.Callable;

@Command(name = "admit", mixinStandardHelpOptions = true,
        description = {"Adds this steward's signature to the admission of a device (stewards only). With a pending "
                + "admission (the start of its key is enough, as 'mesh status --unlock' shows it) this co-signs it; "
                + "otherwise, given the full key, it starts a new one. It counts once k stewards signed.",
                "The signature is a record of your log; peers receive it the next time you serve."})
final class MeshAdmitCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "KEY", description = "The device key, or the start of a pending one's.")
    String key;
    @Option(names = "--name", paramLabel = "NAME", description = "The member's name, for a new admission.")
    String name = "";

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JoinedCooperative joined = MeshRemoveCommand.joined(mesh);
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshMembers.Member member = MeshRemoveCommand.steward(workspace, joined);
            Membership m = member.gate().membership().orElseThrow();
            Genesis g = m.genesis();
            JsonNode statement = MeshRemoveCommand.pending(m.pendingStatements(), key);
            if (statement == null) {
                if (!key.matches("[0-9a-f]{64}")) {
                    throw new UserFacingException("No admission is pending for a key starting with "
                            + TerminalText.safe(key) + "; to admit a new device give its whole key (64 hexadecimal digits).");
                }
                if (m.admits(key)) {
                    out.println("That device is already a member.");
                    return SovereignCli.OK;
                }
                byte[] nonce = new byte[16];
                new SecureRandom().nextBytes(nonce);
                statement = MembershipRecords.admission(g.coop(), g.hash(), key, name, HexFormat.of().formatHex(nonce),
                        m.revocationsOf(key));
            }
            String target = statement.get("member").asText();
            ObjectNode signed = MembershipRecords.signedBy(RecordSigner.of(workspace.store().session()),
                    MembershipRecords.ADMISSION_DOMAIN, (ObjectNode) statement);
            StoreService.translate(() -> member.log().append(MembershipRecords.ADMIT, MembershipRecords.VERSION, signed));
            Membership after = member.gate().membership().orElseThrow();
            out.println(after.admits(target) ? "Admitted " + MeshMembers.shortKey(target) + "."
                    : "Signed the admission of " + MeshMembers.shortKey(target) + ": "
                    + after.pendingSignatures().getOrDefault(target, 1) + " of " + g.k() + " stewards so far.");
        }
        return SovereignCli.OK;
    }
}
