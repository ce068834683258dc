package org.sovereign.testing;

import org.sovereign.store.vault.crypto.KdfParams;

/** Argon2id parameters for tests: the workstation's floor, so a vault opens in milliseconds. Never for real vaults. */
public final class TestKdf {

    /** The smallest memory the workstation accepts, one pass, one lane. */
    public static final KdfParams FAST = new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1);

    private TestKdf() {
    }
}
