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

    /**
     * Like {@link #append} but the commit may skip the disk flush: on return the entries survive a crash of this
     * process (they are in the operating system's hands), not necessarily a power loss, until the next
     * {@link #saveCheckpoint}, which makes them durable with it. Used by group commit (ADR-0004). By default the same
     * as {@link #append}.
     */
    default void appendBuffered(List<StoredEntry> entries) {
        append(entries);
    }

    /**
     * Runs {@code effect} (a change to the same database) and appends the entries in one transaction: all or nothing,
     * durable on return; if {@code effect} throws, nothing is appended. By default (a store that is not the database of
     * the effect) the effect first, then {@link #append}, which is not atomic.
     */
    default void appendWith(List<StoredEntry> entries, Runnable effect) {
        effect.run();
        append(entries);
    }

    /** Entries with {@code from <= sequence < to}, in sequence order, as stored (no checks). */
    List<StoredEntry> read(long from, long to);

    /**
     * Records a signed checkpoint note, durably (flushed to disk) and together with every entry appended before it,
     * buffered or not: a checkpoint must never be durable while entries it covers are not.
     */
    void saveCheckpoint(long size, byte[] signedNote);

    /**
     * Appends entries and records a checkpoint that covers them in one transaction (all or nothing, durable on return):
     * used for a log's first checkpoint, so no crash can leave entries without any checkpoint (which
     * {@link AuditLog#verify} reports as deleted checkpoints). By default {@link #append} then {@link #saveCheckpoint}.
     */
    default void appendWithCheckpoint(List<StoredEntry> entries, long size, byte[] signedNote) {
        append(entries);
        saveCheckpoint(size, signedNote);
    }

    /** Every signed checkpoint ever saved, oldest first. */
    List<byte[]> checkpoints();
}
