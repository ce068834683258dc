package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.file.Path;

/** Something that gives the lowercase hex SHA-256 of a regular file (never following a symbolic link). */
@FunctionalInterface
public interface FileDigester {
    String sha256(Path file) throws IOException;
}
