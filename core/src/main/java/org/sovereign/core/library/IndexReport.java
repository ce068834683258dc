package org.sovereign.core.library;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What an indexing run did.
 *
 * @param indexed     files indexed (new or changed)
 * @param unchanged   files skipped because their content hash had not changed
 * @param failed      files that could not be read, with the plain reason
 * @param chunks      passages stored in this run
 * @param cancelled   whether the run stopped early on request (what was done is kept; a rerun continues)
 * @param embedded    whether passages were embedded (false without an embedding pack or a consent to embed)
 * @param unsupported files in the folder that were not read because the library does not read their type (a Word
 *                    document, an image), with the plain reason; hidden files are left out
 */
public record IndexReport(List<Path> indexed, List<Path> unchanged, Map<Path, String> failed, int chunks, boolean cancelled,
                          boolean embedded, Map<Path, String> unsupported) {

    public IndexReport {
        unsupported = unsupported == null ? Map.of() : unsupported;
    }

    /** A run that met no file of a type the library does not read. */
    public IndexReport(List<Path> indexed, List<Path> unchanged, Map<Path, String> failed, int chunks, boolean cancelled,
                       boolean embedded) {
        this(indexed, unchanged, failed, chunks, cancelled, embedded, Map.of());
    }
}
