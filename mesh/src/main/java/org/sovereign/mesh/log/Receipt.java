package org.sovereign.mesh.log;

/** What became of a record received from a peer. Only {@link #APPENDED} changes the log. */
public enum Receipt {
    /** Verified and appended to its author's log. */
    APPENDED,
    /** Already held (same sequence number, same hash). */
    DUPLICATE,
    /** Later than the next one expected from its author; the missing ones must come first. */
    GAP,
    /** Not valid as the format says (fields, canonical form, size). */
    MALFORMED,
    /** Belongs to another cooperative. */
    WRONG_COOPERATIVE,
    /** The signature does not verify with the author's key. */
    BAD_SIGNATURE,
    /** Its author is not (or no longer) a member the admission policy accepts. */
    NOT_ADMITTED,
    /** Names a previous record other than the one held at that place. */
    BROKEN_CHAIN,
    /** A second, different record at a sequence number already held: the author is frozen, both kept as evidence. */
    EQUIVOCATION,
    /** Its author is frozen after an equivocation. */
    FROZEN_AUTHOR;

    /** Whether the record was refused (as opposed to appended, already held, or waiting for earlier ones). */
    public boolean refused() {
        return this != APPENDED && this != DUPLICATE && this != GAP;
    }
}
