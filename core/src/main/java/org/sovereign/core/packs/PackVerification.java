package org.sovereign.core.packs;

import org.sovereign.packs.signing.Verdict;

import java.util.List;

/**
 * The outcome of checking a pack without installing it.
 *
 * @param verdict the trust verdict (INVALID also covers damaged files, unsafe archives and bad manifests)
 * @param signers key ids found in the pack's signatures, trusted or not (empty when unsigned or unreadable)
 */
public record PackVerification(Verdict verdict, List<String> signers) {
    public PackVerification {
        signers = List.copyOf(signers);
    }

    /** One plain line. */
    public String describe() {
        return VerdictText.describe(verdict, signers);
    }
}
