package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.governance.ProposalKind;
import org.sovereign.mesh.log.LogRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

@Command(name = "propose", mixinStandardHelpOptions = true,
        description = {"Signs a proposal into your log in the vault and prints its id.",
                "KIND is adopt-pack or retire-pack (SUBJECT: the pack's digest, sha256:HEX, or a signed pack folder), change-policy (credits=N, "
                        + "quorum=N or steward-threshold=N), change-shares (steward-floor=PPM or weight:pack:DIGEST=N "
                        + "or weight:service:NAME=N), admit-member or remove-member (SUBJECT: the key).",
                "A change takes effect when the proposal is closed and its first option (yes) wins. The proposal is "
                        + "decided under the policy in force now."})
final class CoopProposeCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Parameters(index = "0", paramLabel = "KIND", description = "What the proposal decides (see above).")
    String kind;
    @Parameters(index = "1", paramLabel = "SUBJECT", description = "What it is about (see above).")
    String subject;
    @Option(names = "--text", required = true, paramLabel = "TEXT", description = "The proposal in your words.")
    String text;
    @Option(names = "--option", paramLabel = "OPTION",
            description = "An option to vote on, repeatable, at least two (default: yes and no).")
    List<String> choices = new ArrayList<>();
    @Option(names = "--area", paramLabel = "AREA",
            description = "The area for delegation (default: packs, policy, revenue or members, by kind).")
    String area;
    @Option(names = "--quorum", paramLabel = "N", defaultValue = "0",
            description = "How many members must count for a result (default: ${DEFAULT-VALUE}; the policy's quorum "
                    + "applies if higher).")
    int quorum;
    @Option(names = "--open-days", paramLabel = "DAYS", defaultValue = "7",
            description = "Days after which stewards may close it, by your clock (a hint; default: ${DEFAULT-VALUE}).")
    int openDays;

    @Override
    public Integer call() {
        ProposalKind k = ProposalKind.fromWire(kind).orElseThrow(() -> new UserFacingException("KIND is one of "
                + Arrays.stream(ProposalKind.values()).map(ProposalKind::wireName).collect(Collectors.joining(", "))
                + ", not '" + TerminalText.safe(kind) + "'."));
        if (quorum < 0 || openDays < 0 || openDays > 3650) {
            throw new UserFacingException(quorum < 0 ? "--quorum is zero or more." : "--open-days is 0 to 3650.");
        }
        List<String> opts = choices.isEmpty() ? List.of("yes", "no") : choices;
        String a = area != null ? area : switch (k) {
            case ADOPT_PACK, RETIRE_PACK -> "packs";
            case CHANGE_POLICY -> "policy";
            case CHANGE_SHARES -> "revenue";
            case ADMIT_MEMBER, REMOVE_MEMBER -> "members";
        };
        if ((k == ProposalKind.ADOPT_PACK || k == ProposalKind.RETIRE_PACK) && !subject.startsWith("sha256:")
                && java.nio.file.Files.isDirectory(java.nio.file.Path.of(subject))) {
            subject = coop.root.context(true).packs().keys().signedDigest(java.nio.file.Path.of(subject));
        }
        PrintWriter out = spec.commandLine().getOut();
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            var g = session.governance();
            var under = g.policyTip();
            var body = GovernanceRecords.proposal(k, subject, text, opts, a,
                    System.currentTimeMillis() + openDays * 86_400_000L, quorum, under);
            Proposal checked = CoopSession.plainly(() -> GovernanceRecords.readProposal("0".repeat(64),
                    session.self(), body));
            if (checked.changesPolicy()) {
                CoopSession.plainly(() -> g.currentPolicy().with(k, subject));
            }
            LogRecord record = session.write(GovernanceRecords.PROPOSAL, body);
            out.println("Proposed " + record.hash() + (checked.kind() == ProposalKind.ADOPT_PACK
                    || checked.kind() == ProposalKind.RETIRE_PACK ? " for pack " + checked.subject() : "") + ".");
            out.println("Vote with: sovereign coop vote " + record.hash().substring(0, 16) + " "
                    + TerminalText.safe(opts.get(0)) + "=N");
        }
        return SovereignCli.OK;
    }
}
