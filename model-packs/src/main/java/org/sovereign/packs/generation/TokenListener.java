package org.sovereign.packs.generation;

/** Receives generated tokens as they are chosen, on the generating thread. */
@FunctionalInterface
public interface TokenListener {

    /**
     * Called once per generated token, the end-of-sequence token included (its own text is never shown).
     *
     * @param tokenId   the token
     * @param textDelta text that became final with this token; may be empty while a character or a possible stop
     *                  string is incomplete. The deltas of one generation concatenate to its result text.
     */
    void onToken(long tokenId, String textDelta);

    /** A listener that ignores everything. */
    static TokenListener none() {
        return (id, delta) -> { };
    }
}
