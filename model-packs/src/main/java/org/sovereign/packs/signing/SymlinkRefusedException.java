package org.sovereign.packs.signing;

/** A symbolic link was found where only regular files are accepted. */
public class SymlinkRefusedException extends FileIntegrityException {
    public SymlinkRefusedException(String file) {
        super(file, "'" + file + "' is a symbolic link; symbolic links are not accepted.");
    }
}
