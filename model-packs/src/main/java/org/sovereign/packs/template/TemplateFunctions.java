package org.sovereign.packs.template;

/** Functions that Hugging Face chat templates expect to find, exposed to Jinjava as static methods. */
final class TemplateFunctions {

    private TemplateFunctions() {
    }

    /** {@code raise_exception(message)}: the template refuses the conversation. */
    public static Object raiseException(Object message) {
        throw new TemplateRaisedException(String.valueOf(message));
    }
}
