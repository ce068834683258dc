package org.sovereign.packs.importer;

import org.sovereign.packs.pack.PackException;

/** A Hugging Face ONNX folder could not be imported; the message is one plain sentence that can be shown as is. */
public class ImportException extends PackException {
    public ImportException(String message) {
        super(message);
    }

    public ImportException(String message, Throwable cause) {
        super(message, cause);
    }
}
