package org.sovereign.packs.pack;

/** A pack with the same name and version is already installed. */
public class PackAlreadyInstalledException extends PackException {
    public PackAlreadyInstalledException(String message) {
        super(message);
    }
}
