package org.sovereign.store.vault;

import java.time.Instant;

/**
 * Clear-text metadata of an encrypted item (visible to anyone holding the file).
 *
 * @param size plaintext length in bytes
 */
public record ItemInfo(long id, long scopeId, String kind, Instant createdAt, long size) {
}
