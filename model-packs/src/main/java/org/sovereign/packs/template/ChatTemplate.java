package org.sovereign.packs.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.ExpressionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A model's Jinja chat template, rendered with Jinjava the way transformers' {@code apply_chat_template} renders it:
 * blocks trimmed and left-stripped, variables {@code messages}, {@code add_generation_prompt}, {@code bos_token},
 * {@code eos_token}, and a {@code raise_exception(message)} function.
 *
 * <p>Jinjava is not Python Jinja. The Python string methods templates use ({@code startswith}, {@code endswith},
 * {@code strip}, {@code lstrip}, {@code rstrip}, {@code split}, {@code upper}, {@code lower}, {@code replace}) and a
 * Python-style {@code tojson} are provided; values print as Python's {@code str()} ({@code True}, {@code None},
 * {@code ['a', 1]}, see {@link PythonOutput}); {@code '%s' % x} formats like Python and {@code ~} joins Python
 * strings (see {@link PythonSyntax}). Other Python-only calls fail with a {@link ChatTemplateException} naming the
 * problem rather than rendering wrongly.
 * Instances are immutable and safe to share between threads; they hold no native resources.
 */
public final class ChatTemplate {

    private static final long MAX_OUTPUT_CHARS = 4L * 1024 * 1024;
    /**
     * Jinja's {@code lstrip_blocks}: spaces and tabs between the start of a line and a block or comment tag
     * ({@code {%} or <code>{#</code>, not the {@code +} forms). Done here because Jinjava's own option also strips
     * whitespace that follows text on the same line, which changes prompts such as {@code "[ASSISTANT] "}.
     */
    private static final Pattern LSTRIP_BLOCKS = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");

    private final String source;
    private final String prepared;
    private final String bosToken;
    private final String eosToken;
    private final Jinjava jinjava;

    public ChatTemplate(String source, String bosToken, String eosToken) {
        this.source = Objects.requireNonNull(source, "source");
        this.prepared = LSTRIP_BLOCKS.matcher(source).replaceAll("");
        this.bosToken = Objects.requireNonNullElse(bosToken, "");
        this.eosToken = Objects.requireNonNullElse(eosToken, "");
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false)
                .withMaxOutputSize(MAX_OUTPUT_CHARS)
                .withFailOnUnknownTokens(false)
                .withElResolver(pythonAwareResolver())
                .withExecutionMode(PythonOutput.MODE)
                // Jinja's rule: only "{{-" and "-}}" written together trim whitespace; "{{ -7 }}" prints -7.
                .withLegacyOverrides(LegacyOverrides.newBuilder().withParseWhitespaceControlStrictly(true).build())
                .build();
        this.jinjava = new PythonJinjava(config);
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", TemplateFunctions.class, "raiseException", Object.class));
        jinjava.getGlobalContext().registerFilter(new PythonJson());
        jinjava.getGlobalContext().registerFilter(new PythonOutput.StringFilter());
        jinjava.getGlobalContext().registerFilter(new PythonOutput.JoinFilter());
    }

    /**
     * Jinjava with {@link PythonSyntax}'s expression factory: Jinjava 2.8 builds its own factory and offers no
     * option to replace it, only this overridable getter, which is what its expression resolver asks.
     */
    private static final class PythonJinjava extends Jinjava {
        private final ExpressionFactory expressions = PythonSyntax.expressionFactory();

        PythonJinjava(JinjavaConfig config) {
            super(config);
        }

        @Override
        public ExpressionFactory getExpressionFactory() {
            return expressions;
        }
    }

    private static ELResolver pythonAwareResolver() {
        CompositeELResolver resolver = new CompositeELResolver();
        resolver.add(new PythonStringMethods());
        resolver.add(JinjavaInterpreterResolver.DEFAULT_RESOLVER_READ_ONLY);
        return resolver;
    }

    /**
     * Reads the template from a model folder: {@code chat_template.jinja} if present, otherwise the
     * {@code chat_template} of {@code tokenizer_config.json} (a string, or a list of named templates of which
     * {@code default} is taken). Special tokens come from {@code tokenizer_config.json}.
     *
     * @throws ChatTemplateException if there is no template or the files cannot be read
     */
    public static ChatTemplate fromModelFolder(Path folder) {
        Path configFile = folder.resolve("tokenizer_config.json");
        JsonNode config;
        try {
            config = Files.isRegularFile(configFile)
                    ? new ObjectMapper().readTree(configFile.toFile())
                    : new ObjectMapper().createObjectNode();
        } catch (IOException e) {
            throw new ChatTemplateException("Could not read " + configFile + ": " + e.getMessage(), e);
        }
        String template = readTemplate(folder, config);
        return new ChatTemplate(template, tokenText(config.get("bos_token")), tokenText(config.get("eos_token")));
    }

    private static String readTemplate(Path folder, JsonNode config) {
        Path jinjaFile = folder.resolve("chat_template.jinja");
        if (Files.isRegularFile(jinjaFile)) {
            try {
                return Files.readString(jinjaFile);
            } catch (IOException e) {
                throw new ChatTemplateException("Could not read " + jinjaFile + ": " + e.getMessage(), e);
            }
        }
        JsonNode node = config.get("chat_template");
        if (node != null && node.isTextual()) {
            return node.asText();
        }
        if (node != null && node.isArray()) {
            for (JsonNode named : node) {
                if ("default".equals(named.path("name").asText())) {
                    return named.path("template").asText();
                }
            }
        }
        throw new ChatTemplateException("The model in " + folder + " has no chat template "
                + "(neither chat_template.jinja nor a chat_template in tokenizer_config.json)");
    }

    private static String tokenText(JsonNode token) {
        if (token == null || token.isNull()) {
            return "";
        }
        return token.isObject() ? token.path("content").asText("") : token.asText();
    }

    /** Renders the conversation; {@code addGenerationPrompt} appends the opening of the assistant's turn. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * Renders the conversation with extra template variables (for example {@code tools}); the standard variables
     * win over extra ones of the same name.
     *
     * @throws ChatTemplateException if the template fails or calls {@code raise_exception}
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extraVariables) {
        Map<String, Object> bindings = new HashMap<>(extraVariables);
        bindings.put("messages", messages.stream().map(ChatMessage::asTemplateValue).toList());
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        RenderResult result;
        try {
            result = jinjava.renderForResult(prepared, bindings);
        } catch (TemplateRaisedException e) {
            throw new ChatTemplateException("The chat template rejected the conversation: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ChatTemplateException("The chat template could not be rendered: " + e.getMessage(), e);
        }
        for (TemplateError error : result.getErrors()) {
            Throwable raised = findRaised(error.getException());
            if (raised != null) {
                throw new ChatTemplateException(
                        "The chat template rejected the conversation: " + raised.getMessage(), raised);
            }
        }
        List<TemplateError> fatal = result.getErrors().stream()
                .filter(e -> e.getSeverity() == TemplateError.ErrorType.FATAL)
                .toList();
        if (!fatal.isEmpty()) {
            TemplateError first = fatal.get(0);
            throw new ChatTemplateException("The chat template could not be rendered (line " + first.getLineno()
                    + "): " + first.getMessage(), first.getException());
        }
        return result.getOutput();
    }

    private static Throwable findRaised(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof TemplateRaisedException) {
                return c;
            }
        }
        return null;
    }

    public String bosToken() {
        return bosToken;
    }

    public String eosToken() {
        return eosToken;
    }

    public String source() {
        return source;
    }
}
