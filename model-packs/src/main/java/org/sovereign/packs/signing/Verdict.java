package org.sovereign.packs.signing;

import java.util.List;

/** The outcome of checking a pack's signatures against a {@link TrustPolicy}. */
public sealed interface Verdict {

    /** The verdict's kind. */
    enum Status { TRUSTED_PUBLISHER, COOPERATIVE_THRESHOLD, UNTRUSTED_SIGNATURE, UNSIGNED, INVALID }

    Status status();

    /** True when the policy accepts the signatures without a {@code trustAnyway} override. */
    default boolean trusted() {
        return status() == Status.TRUSTED_PUBLISHER || status() == Status.COOPERATIVE_THRESHOLD;
    }

    /** One plain-English line for the user. */
    String describe();

    /** A trusted publisher key signed the pack. */
    record TrustedPublisher(String keyId) implements Verdict {
        public Status status() {
            return Status.TRUSTED_PUBLISHER;
        }

        public String describe() {
            return "Signed by trusted publisher key " + KeyId.shortForm(keyId) + ".";
        }
    }

    /** At least {@code k} of the {@code n} keys of a cooperative signed the pack; {@code keyIds} lists them. */
    record CooperativeThreshold(String cooperative, int k, int n, List<String> keyIds) implements Verdict {
        public CooperativeThreshold {
            keyIds = List.copyOf(keyIds);
        }

        public Status status() {
            return Status.COOPERATIVE_THRESHOLD;
        }

        public String describe() {
            return "Signed by " + keyIds.size() + " of the " + n + " keys of cooperative '" + cooperative
                    + "' (" + k + " required).";
        }
    }

    /** Signed, but not in a way the policy accepts; {@code signerKeyIds} are the verified known signers. */
    record UntrustedSignature(List<String> signerKeyIds, String reason) implements Verdict {
        public UntrustedSignature {
            signerKeyIds = List.copyOf(signerKeyIds);
        }

        public Status status() {
            return Status.UNTRUSTED_SIGNATURE;
        }

        public String describe() {
            return reason;
        }
    }

    /** The pack carries no signature. */
    record Unsigned() implements Verdict {
        public Status status() {
            return Status.UNSIGNED;
        }

        public String describe() {
            return "The pack is not signed.";
        }
    }

    /** A signature is malformed or does not verify, or signatures disagree. */
    record Invalid(String reason) implements Verdict {
        public Status status() {
            return Status.INVALID;
        }

        public String describe() {
            return reason;
        }
    }
}
