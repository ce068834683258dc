package org.sovereign.packs.template;

/** Thrown inside rendering by the template's own {@code raise_exception(message)} call. */
final class TemplateRaisedException extends RuntimeException {
    TemplateRaisedException(String message) {
        super(message);
    }
}
