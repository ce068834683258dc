package org.sovereign.mesh.log;

import java.util.Objects;

/**
 * The latest record a store holds of one author's log.
 *
 * @param author the author's raw Ed25519 key, lower-case hex
 * @param seq    the record's sequence number
 * @param hash   the record's hash (SHA-256 of its wire form), lower-case hex
 */
public record LogHead(String author, long seq, String hash) {
    public LogHead {
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(hash, "hash");
    }

    static LogHead of(LogRecord record) {
        return new LogHead(record.author(), record.seq(), record.hash());
    }
}
