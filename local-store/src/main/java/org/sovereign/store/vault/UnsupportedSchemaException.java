package org.sovereign.store.vault;

/**
 * The vault file was written by a newer version of the workstation (its schema version is higher
 * than this build knows). The file is refused and left untouched.
 */
public final class UnsupportedSchemaException extends VaultException {
    private static final long serialVersionUID = 1L;

    private final int fileVersion;
    private final int supportedVersion;

    public UnsupportedSchemaException(int fileVersion, int supportedVersion) {
        super("This vault was created by a newer version of the Sovereign Workstation (schema version "
                + fileVersion + "; this version understands up to " + supportedVersion
                + "). Please update the workstation. The file was not modified.");
        this.fileVersion = fileVersion;
        this.supportedVersion = supportedVersion;
    }

    public int fileVersion() {
        return fileVersion;
    }

    public int supportedVersion() {
        return supportedVersion;
    }
}
