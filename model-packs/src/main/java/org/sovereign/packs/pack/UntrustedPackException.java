package org.sovereign.packs.pack;

import org.sovereign.packs.signing.Verdict;

/** The pack is unsigned, signed by keys the trust policy does not accept, or carries invalid signatures. */
public class UntrustedPackException extends PackException {
    private final transient Verdict verdict;

    public UntrustedPackException(String message, Verdict verdict) {
        super(message);
        this.verdict = verdict;
    }

    /** The verdict that led to the refusal. */
    public Verdict verdict() {
        return verdict;
    }
}
