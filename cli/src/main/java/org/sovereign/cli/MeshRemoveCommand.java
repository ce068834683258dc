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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "remove", mixinStandardHelpOptions = true,
        description = {"Adds this steward's signature to the removal of a member (stewards only): co-signs a pending "
                + "removal, or starts one with --reason. It counts once k stewards signed; from then on the member's "
                + "records are refused. Stewards themselves are not removed this way."})
final class MeshRemoveCommand implements Callable<Integer> {
    @ParentCommand
    MeshCommand mesh;
    @Spec
    CommandSpec spec;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(paramLabel = "KEY", description = "The member's key, or the start of it.")
    String key;
    @Option(names = "--reason", paramLabel = "TEXT", description = "Why, for a new removal (members see it).")
    String reason;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        JoinedCooperative joined = joined(mesh);
        try (UnlockedWorkspace workspace = mesh.root.context(true).unlock(passphrase.read("Passphrase", false))) {
            MeshMembers.Member member = steward(workspace, joined);
            Membership m = member.gate().membership().orElseThrow();
            Genesis g = m.genesis();
            JsonNode statement = pending(m.pendingRemovals(), key);
            if (statement == null) {
                List<String> matches = m.members().stream().filter(k -> k.startsWith(key)).toList();
                if (matches.size() != 1) {
                    throw new UserFacingException(matches.isEmpty() ? "No member's key starts with " + TerminalText.safe(key) + "."
                            : "Several members' keys start with " + TerminalText.safe(key) + "; give more of it.");
                }
                if (g.stewards().contains(matches.get(0))) {
                    throw new UserFacingException("A steward cannot be removed this way.");
                }
                if (reason == null || reason.isBlank()) {
                    throw new UserFacingException("Say why with --reason TEXT (members see it).");
                }
                statement = MembershipRecords.removal(g.coop(), g.hash(), matches.get(0), reason.strip());
            }
            String target = statement.get("member").asText();
            ObjectNode signed = MembershipRecords.signedBy(RecordSigner.of(workspace.store().session()),
                    MembershipRecords.REMOVAL_DOMAIN, (ObjectNode) statement);
            StoreService.translate(() -> member.log().append(MembershipRecords.REMOVE, MembershipRecords.VERSION, signed));
            Membership after = member.gate().membership().orElseThrow();
            out.println(after.state(target) == Membership.State.REMOVED ? "Removed " + MeshMembers.shortKey(target) + "."
                    : "Signed the removal of " + MeshMembers.shortKey(target) + "; it counts once " + g.k()
                    + " stewards signed.");
        }
        return SovereignCli.OK;
    }

    static JoinedCooperative joined(MeshCommand mesh) {
        return JoinedCooperative.load(mesh.dataDir()).orElseThrow(() -> new UserFacingException(
                "This workstation belongs to no cooperative."));
    }

    static MeshMembers.Member steward(UnlockedWorkspace workspace, JoinedCooperative joined) {
        MeshMembers.Member member = MeshMembers.open(workspace, joined.genesis().coop(), joined.genesis(), null, "");
        if (!joined.genesis().stewards().contains(member.log().self())) {
            throw new UserFacingException("Only a steward can do this, and this device is not one of the cooperative's "
                    + "stewards.");
        }
        return member;
    }

    /** The one pending statement whose key starts with {@code prefix}, or null when there is none. */
    static JsonNode pending(Map<String, JsonNode> pending, String prefix) {
        List<String> keys = pending.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
        if (keys.size() > 1) {
            throw new UserFacingException("Several pending keys start with " + TerminalText.safe(prefix) + "; give more of it.");
        }
        return keys.isEmpty() || prefix.length() < 4 ? null : pending.get(keys.get(0));
    }
}
