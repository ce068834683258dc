package org.sovereign.cli;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.governance.RevenueSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "split", mixinStandardHelpOptions = true,
        description = {"Computes the revenue split of a period from the countersigned usage receipts in the vault, "
                + "under the policy in force, and prints each member's share and the receipts behind it.",
                "Stewards sign the statement with --sign; every statement stewards signed is recomputed and shown as "
                        + "matching or not. Money is paid out from the signed statement, outside this program."})
final class CoopSplitCommand implements Callable<Integer> {
    @ParentCommand
    CoopCommand coop;
    @Spec
    CommandSpec spec;
    @Mixin
    CoopOptions options;
    @Mixin
    PassphraseOptions passphrase;
    @Option(names = "--period", required = true, paramLabel = "P", description = "The period, as receipts name it "
            + "(e.g. 2026-12).")
    String period;
    @Option(names = "--sign", description = "For stewards: sign this statement into your log in the vault.")
    boolean sign;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (CoopSession session = CoopSession.open(coop.root, options, passphrase)) {
            Governance g = session.governance();
            RevenueSplit split = CoopSession.plainly(() -> g.split(period));
            Policy policy = g.currentPolicy();
            out.println("Period " + TerminalText.safe(period) + ": " + split.receipts().size()
                    + (split.receipts().size() == 1 ? " countersigned receipt" : " countersigned receipts")
                    + ", steward floor " + percent(policy.stewardFloor()) + " each.");
            out.println("Shares:");
            for (Map.Entry<String, Long> e : split.shares().entrySet()) {
                long receipts = split.receipts().stream().filter(r -> r.contributor().equals(e.getKey())).count();
                out.println("  " + e.getKey().substring(0, 16) + "  " + percent(e.getValue()) + "  ("
                        + split.points().getOrDefault(e.getKey(), 0L) / 1000.0 + " points from " + receipts
                        + (receipts == 1 ? " receipt" : " receipts")
                        + (policy.stewards().contains(e.getKey()) ? ", steward" : "") + ")");
            }
            out.println("Receipts:");
            if (split.receipts().isEmpty()) {
                out.println("  none");
            }
            for (RevenueSplit.UsageReceipt r : split.receipts()) {
                out.println("  " + r.usage().substring(0, 16) + "  " + r.consumer().substring(0, 16) + " used "
                        + r.amount() + " of " + TerminalText.safe(r.what()) + " from " + r.contributor().substring(0, 16));
            }
            out.println("Statement SHA-256: " + split.digest());
            if (sign) {
                if (!policy.stewards().contains(session.self())) {
                    throw new UserFacingException("Only stewards sign revenue splits; this device's key "
                            + session.self().substring(0, 16) + " is not one.");
                }
                session.write(GovernanceRecords.SPLIT, split.statement());
                out.println("Signed the statement.");
            }
            var signed = session.governance().signedSplits(period);
            if (signed.isEmpty()) {
                out.println("Signed by stewards: not yet.");
            }
            for (Governance.SignedSplit s : signed) {
                out.println("Signed statement " + s.digest().substring(0, 16) + ": " + s.signers().size() + " of the "
                        + s.needed() + " stewards needed; " + (s.matches() ? "matches this recomputation byte for byte."
                        : "differs from this recomputation."));
            }
        }
        return SovereignCli.OK;
    }

    private static String percent(long parts) {
        return String.format(java.util.Locale.ROOT, "%.4f %%", parts / 10_000.0);
    }
}
