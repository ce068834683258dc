package org.sovereign.store.audit.log;

import java.util.List;

/**
 * Durable storage of the audit log: entries (with their leaf hashes) and every signed checkpoint. Implemented by the
 * vault's SQLite file. Rows are only ever appended.
 */
public interface AuditStore {

    /** A stored entry. */
    record StoredEntry(long sequence, byte[] leafHash, byte[] entry) {
    }

    /** Number of entries. */
    long size();

    /** Appends entries with sequence numbers {@code size()}, {@code size()+1}, ...; all or nothing, durable on return. */
    void append(List<StoredEntry> entries);

    /** Entries with {@code from <= sequence < to}, in sequence order, as stored (no checks). */
    List<StoredEntry> read(long from, long to);

    /** Records a signed checkpoint note. */
    void saveCheckpoint(long size, byte[] signedNote);

    /** Every signed checkpoint ever saved, oldest first. */
    List<byte[]> checkpoints();
}
