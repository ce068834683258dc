package org.sovereign.packs.signing;

import java.util.Optional;

/**
 * A verdict plus the statement the signatures agree on. The statement is present for every verdict except
 * {@link Verdict.Unsigned} and {@link Verdict.Invalid}; for {@link Verdict.UntrustedSignature} it was not
 * verified with a known key and is usable only as a claim to check files against.
 */
public record TrustResult(Verdict verdict, Optional<OmsStatement> statement) {
}
