package org.sovereign.packs.signing;

/** A file is missing, extra (not listed), changed, of the wrong size, or not a regular file. */
public class FileIntegrityException extends OmsException {
    private final String file;

    public FileIntegrityException(String file, String message) {
        super(message);
        this.file = file;
    }

    /** The relative path of the file at fault. */
    public String file() {
        return file;
    }
}
