package org.sovereign.packs.pack;

/** The packs directory does not have enough free space for the pack. */
public class InsufficientSpaceException extends PackException {
    public InsufficientSpaceException(String message) {
        super(message);
    }
}
