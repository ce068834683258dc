package org.sovereign.mesh.log;

/**
 * Evidence that an author signed two different records at one sequence number: both records, each with a valid
 * signature. The author's key is frozen once this is seen; stewards are shown both records.
 */
public record Equivocation(String author, long seq, LogRecord kept, LogRecord conflicting) {
}
