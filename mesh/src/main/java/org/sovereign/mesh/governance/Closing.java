package org.sovereign.mesh.governance;

import java.util.Optional;
import java.util.Set;

/**
 * Where a proposal's close stands.
 *
 * @param state   open, closed (one body signed by at least k stewards and matching its recomputed tally), or in
 *                conflict (two different bodies each signed by k stewards: neither is used)
 * @param result  the tally over the close's inputs, when closed
 * @param signers the stewards who signed the close, when closed
 * @param reason  a plain sentence saying why
 */
public record Closing(State state, Optional<Tally> result, Set<String> signers, String reason) {
    public enum State { OPEN, CLOSED, CONFLICT }

    public Closing {
        signers = Set.copyOf(signers);
    }
}
