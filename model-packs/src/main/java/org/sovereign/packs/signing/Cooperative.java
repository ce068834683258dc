package org.sovereign.packs.signing;

import java.security.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A group of {@code n} member keys of which at least {@code threshold} must sign a pack.
 *
 * @param name      shown in verdicts
 * @param members   distinct EC public keys
 * @param threshold k, with 1 &lt;= k &lt;= n
 */
public record Cooperative(String name, List<PublicKey> members, int threshold) {
    public Cooperative {
        members = List.copyOf(members);
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
