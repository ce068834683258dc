package org.sovereign.core.consent;

import org.sovereign.store.consent.ConsentHistory;

import java.nio.file.Path;
import java.util.List;

/**
 * What withdrawing a consent did.
 *
 * @param consent the consent, now withdrawn
 * @param erased  library sources indexed under it whose stored text and vectors were erased (their keys destroyed)
 * @param kept    sources indexed under it that were kept because another consent still covers them
 */
public record Withdrawal(ConsentHistory consent, List<Path> erased, List<Path> kept) {

    public Withdrawal {
        erased = List.copyOf(erased);
        kept = List.copyOf(kept);
    }
}
