package org.sovereign.packs.pack;

/** {@code manifest.json} is missing, malformed, of an unknown format version, or inconsistent. */
public class ManifestException extends PackException {
    public ManifestException(String message) {
        super(message);
    }

    public ManifestException(String message, Throwable cause) {
        super(message, cause);
    }
}
