package org.sovereign.mesh.log;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the members' logs are kept. A store does not verify: {@link MeshLog} checks each record and its chain link
 * before {@link #append}. Implementations are used under {@link MeshLog}'s lock.
 */
public interface RecordStore {

    /** The latest record held of {@code author}'s log. */
    Optional<LogHead> head(String author);

    /** The heads of every log held, by author. */
    Map<String, LogHead> heads();

    /** The record at {@code seq} of {@code author}'s log. */
    Optional<LogRecord> get(String author, long seq);

    /** Up to {@code limit} records of {@code author}'s log from {@code fromSeq} on, in order. */
    List<LogRecord> range(String author, long fromSeq, int limit);

    /** Appends {@code record}, which is the next one of its author's log (checked by the caller). */
    void append(LogRecord record);

    /** Keeps the evidence of an equivocation and freezes its author. */
    void freeze(Equivocation evidence);

    /** The frozen authors and their evidence. */
    Map<String, Equivocation> frozen();

    /**
     * Remembers the heads a member (by its key, lower-case hex) was last seen to hold, replacing what was remembered
     * of it before: what a bundle exported for that member may leave out, and how far peers hold this member's own log.
     */
    void rememberPeerHeads(String peer, List<LogHead> heads);

    /** The heads last seen from each member, by the member's key. */
    Map<String, List<LogHead>> peerHeads();
}
