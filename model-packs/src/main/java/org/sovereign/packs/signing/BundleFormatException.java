package org.sovereign.packs.signing;

/** An OMS bundle or its in-toto statement is malformed or not of the supported kind. */
public class BundleFormatException extends OmsException {
    public BundleFormatException(String message) {
        super(message);
    }

    public BundleFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
