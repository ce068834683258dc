package org.sovereign.store.vault;

import java.time.Instant;
import java.util.Optional;

/**
 * A scope: a group of data encrypted under one data key (for example one source, one conversation,
 * or the consent records). Holds no key material.
 *
 * @param id        row id
 * @param kind      kind label, e.g. {@code source}, {@code conversation}, {@code consent}
 * @param keyId     public id of the scope's data key (bound into every ciphertext's associated data)
 * @param createdAt creation time
 * @param erasedAt  when the scope was crypto-shredded, if it was
 */
public record Scope(long id, String kind, String keyId, Instant createdAt, Optional<Instant> erasedAt) {
    public boolean isErased() {
        return erasedAt.isPresent();
    }
}
