package org.sovereign.packs.signing;

import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A group of {@code n} member keys of which at least {@code threshold} must sign a pack.
 *
 * @param name      shown in verdicts
 * @param members   distinct EC public keys
 * @param threshold k, with 1 &lt;= k &lt;= n
 * @param adopted   when present, the only packs the cooperative vouches for, by the digest of their signed statement
 *                  ({@code sha256:HEX}, what its members voted to adopt); when empty, any pack its keys sign
 */
public record Cooperative(String name, List<PublicKey> members, int threshold, Optional<Set<String>> adopted) {
    /** A cooperative that vouches for any pack {@code threshold} of its keys sign. */
    public Cooperative(String name, List<PublicKey> members, int threshold) {
        this(name, members, threshold, Optional.empty());
    }

    /** Whether the cooperative vouches for the pack whose signed statement has {@code subjectDigest} (hex). */
    public boolean vouchesFor(String subjectDigest) {
        return adopted.map(set -> set.contains("sha256:" + subjectDigest)).orElse(true);
    }

    public Cooperative {
        members = List.copyOf(members);
        adopted = adopted.map(Set::copyOf);
        Set<String> ids = new HashSet<>();
        for (PublicKey k : members) {
            if (!ids.add(KeyId.of(k))) {
                throw new IllegalArgumentException("cooperative '" + name + "' lists a key twice");
            }
        }
        if (threshold < 1 || threshold > members.size()) {
            throw new IllegalArgumentException("cooperative '" + name + "' threshold must be 1.." + members.size());
        }
    }
}
