package org.sovereign.packs.tokenizer;

/** A tokenizer could not be loaded: the file is missing or unreadable, or its native library failed to load. */
public class TokenizerLoadException extends RuntimeException {
    public TokenizerLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
