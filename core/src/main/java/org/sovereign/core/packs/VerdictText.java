package org.sovereign.core.packs;

import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.Verdict;

import java.util.List;
import java.util.stream.Collectors;

/** Plain words for a signature verdict, the same in the CLI and the GUI. */
public final class VerdictText {

    private VerdictText() {
    }

    /** One line, e.g. "Signed by a trusted publisher (key 1a2b...)." */
    public static String describe(Verdict verdict) {
        return describe(verdict, List.of());
    }

    /** As {@link #describe(Verdict)}, naming {@code signers} (key ids) when the verdict itself names none. */
    public static String describe(Verdict verdict, List<String> signers) {
        if (verdict instanceof Verdict.TrustedPublisher t) {
            return "Signed by a trusted publisher (key " + KeyId.shortForm(t.keyId()) + ").";
        }
        if (verdict instanceof Verdict.CooperativeThreshold c) {
            return "Signed by a trusted cooperative: " + c.describe();
        }
        if (verdict instanceof Verdict.UntrustedSignature u) {
            String keys = (u.signerKeyIds().isEmpty() ? signers : u.signerKeyIds()).stream().map(KeyId::shortForm).collect(Collectors.joining(", "));
            return "Signed by an untrusted key" + (keys.isEmpty() ? "" : " (fingerprint " + keys + ")")
                    + ": " + u.describe();
        }
        if (verdict instanceof Verdict.Unsigned) {
            return "Unsigned: the pack carries no signature.";
        }
        return "Invalid: " + PackFailures.oneLine(verdict.describe());
    }

    /** A short word for listings: trusted, untrusted, unsigned or invalid. */
    public static String shortWord(Verdict verdict) {
        return switch (verdict.status()) {
            case TRUSTED_PUBLISHER, COOPERATIVE_THRESHOLD -> "trusted";
            case UNTRUSTED_SIGNATURE -> "untrusted";
            case UNSIGNED -> "unsigned";
            case INVALID -> "invalid";
        };
    }
}
