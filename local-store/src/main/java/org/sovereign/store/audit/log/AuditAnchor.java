package org.sovereign.store.audit.log;

import java.util.Arrays;

/**
 * What the vault remembers, under its master key, about its audit log: the size and root hash of the latest signed
 * checkpoint. A log shorter than {@code size}, or whose first {@code size} entries have another root, or that has no
 * signed checkpoint of that size, was tampered with. An attacker without the passphrase can delete or replay the row
 * that holds it but cannot forge or edit it (see {@code docs/threat-model.md}).
 *
 * @param size     entries covered by the latest signed checkpoint (0: none signed yet)
 * @param rootHash the RFC 9162 root hash of those entries (32 bytes)
 */
public record AuditAnchor(long size, byte[] rootHash) {
    public AuditAnchor {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
        if (rootHash == null || rootHash.length != 32) {
            throw new IllegalArgumentException("rootHash must be 32 bytes");
        }
        rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AuditAnchor a && a.size == size && Arrays.equals(a.rootHash, rootHash);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return "AuditAnchor[size=" + size + "]";
    }
}
