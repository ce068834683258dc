package org.sovereign.packs.signing;

/** The caller's cancel flag was raised; the operation stopped and cleaned up after itself. */
public class OperationCancelledException extends OmsException {
    public OperationCancelledException() {
        super("The operation was cancelled.");
    }
}
