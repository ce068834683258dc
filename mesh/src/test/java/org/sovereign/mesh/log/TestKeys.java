package org.sovereign.mesh.log;

import org.sovereign.store.audit.note.Ed25519Keys;

import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;

/** Fixed signers for tests: the same seed gives the same key and the same (deterministic Ed25519) signatures. */
public final class TestKeys {
    private TestKeys() {
    }

    public static RecordSigner seeded(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        try {
            return RecordSigner.of(Ed25519Keys.keyPairFromSeed(seed));
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }
}
