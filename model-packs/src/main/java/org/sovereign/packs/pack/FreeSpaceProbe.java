package org.sovereign.packs.pack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reports the usable free bytes where packs are installed. */
@FunctionalInterface
public interface FreeSpaceProbe {
    /** The default: {@code FileStore.getUsableSpace()} of the directory's file store. */
    FreeSpaceProbe FILE_STORE = dir -> Files.getFileStore(dir).getUsableSpace();

    long usableBytes(Path dir) throws IOException;
}
