package org.sovereign.mesh.log;

/**
 * A request for an author's records from {@code fromSeq} on, as anti-entropy sends it to a peer.
 *
 * @param author the author's raw Ed25519 key, lower-case hex
 * @param fromSeq the first sequence number wanted (1 or more)
 */
public record Want(String author, long fromSeq) {
    public Want {
        if (fromSeq < 1) {
            throw new IllegalArgumentException("A wanted sequence number is at least 1.");
        }
    }
}
