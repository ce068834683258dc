package org.sovereign.packs.template;

/**
 * A chat template could not be read or rendered: no template in the model's files, a template that does not parse,
 * or a template that rejected the conversation (its {@code raise_exception(...)} message is kept).
 */
public class ChatTemplateException extends RuntimeException {
    public ChatTemplateException(String message) {
        super(message);
    }

    public ChatTemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
