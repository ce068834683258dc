package org.sovereign.packs.pack;

/** A {@code .mpack} archive is unsafe to extract (path traversal, compression, size bomb, duplicates). */
public class UnsafeArchiveException extends PackException {
    public UnsafeArchiveException(String message) {
        super(message);
    }
}
