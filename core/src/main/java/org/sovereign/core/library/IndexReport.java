package org.sovereign.core.library;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an indexing run did.
 *
 * @param indexed   files indexed (new or changed)
 * @param unchanged files skipped because their content hash had not changed
 * @param failed    files that could not be read, with the plain reason
 * @param chunks    passages stored in this run
 * @param cancelled whether the run stopped early on request (what was done is kept; a rerun continues)
 * @param embedded  whether passages were embedded (false without an embedding pack or a consent to embed)
 */
public record IndexReport(List<Path> indexed, List<Path> unchanged, Map<Path, String> failed, int chunks, boolean cancelled,
                          boolean embedded) {
}
