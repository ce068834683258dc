package org.sovereign.mesh.governance;

/**
 * A record that governance did not use, and why.
 *
 * @param record the record's hash
 * @param author the record's author (hex)
 * @param reason a plain sentence
 */
public record Refusal(String record, String author, String reason) {
}
