package org.sovereign.packs.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.LegacyOverrides;
import com.hubspot.jinjava.el.JinjavaInterpreterResolver;
import com.hubspot.jinjava.interpret.CollectionTooBigException;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.OutputTooBigException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.loader.ResourceNotFoundException;
import jinjava.javax.el.CompositeELResolver;
import jinjava.javax.el.ELResolver;
import jinjava.javax.el.ExpressionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
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

    /**
     * Jinja's {@code lstrip_blocks}: spaces and tabs between the start of a line and a block or comment tag
     * ({@code {%} or <code>{#</code>, not the {@code +} forms). Done here because Jinjava's own option also strips
     * whitespace that follows text on the same line, which changes prompts such as {@code "[ASSISTANT] "}.
     */
    private static final Pattern LSTRIP_BLOCKS = Pattern.compile("(?m)^[ \\t]+(?=\\{[%#](?!\\+))");
    /** Java exception class names Jinjava puts into its messages ("InterpretException: ..."). */
    private static final Pattern JAVA_EXCEPTION_NAME =
            Pattern.compile("\\b(?:[a-z]\\w*\\.)*[A-Z]\\w*(?:Exception|Error): ");
    /** Tags that would read other templates (files or classpath resources): refused in pack templates. */
    private static final Set<String> LOADING_TAGS = Set.of("include", "import", "from", "extends");

    /**
     * What one render may use. Templates come from packs whose publishers are not trusted, so every render is
     * bounded: wall-clock time, characters of output, nesting of blocks and brackets in the source, template steps
     * (blocks rendered, which bounds loop iterations) and the length of any string an operator builds.
     *
     * @param renderTime     wall-clock time of one render
     * @param maxOutputChars characters of rendered output
     * @param maxNesting     depth of nested blocks ({@code if}, {@code for}, ...) and of brackets in expressions
     * @param maxSteps       template nodes rendered (every loop iteration renders at least one)
     * @param maxStringChars characters of any string built by {@code ~}, {@code +}, {@code %} or a filter
     */
    public record Limits(Duration renderTime, long maxOutputChars, int maxNesting, long maxSteps,
                         long maxStringChars) {
        /** 2 s, 1 MiB of characters, 100 levels, 1,000,000 steps, 1 MiB strings. */
        public static final Limits DEFAULT = new Limits(Duration.ofSeconds(2), 1L << 20, 100, 1_000_000, 1L << 20);

        public Limits {
            Objects.requireNonNull(renderTime, "renderTime");
            if (renderTime.isNegative() || renderTime.isZero() || maxOutputChars < 1 || maxNesting < 1
                    || maxSteps < 1 || maxStringChars < 1) {
                throw new IllegalArgumentException("template limits must be positive");
            }
        }
    }

    private final String source;
    private final String prepared;
    private final String bosToken;
    private final String eosToken;
    private final Clock clock;
    private final Limits limits;
    private final Jinjava jinjava;

    /** A template with the system clock (for {@code strftime_now}) and {@link Limits#DEFAULT}. */
    public ChatTemplate(String source, String bosToken, String eosToken) {
        this(source, bosToken, eosToken, Clock.systemDefaultZone(), Limits.DEFAULT);
    }

    private ChatTemplate(String source, String bosToken, String eosToken, Clock clock, Limits limits) {
        this.source = Objects.requireNonNull(source, "source");
        this.prepared = PythonSlices.rewrite(LSTRIP_BLOCKS.matcher(source).replaceAll(""));
        this.bosToken = Objects.requireNonNullElse(bosToken, "");
        this.eosToken = Objects.requireNonNullElse(eosToken, "");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.limits = Objects.requireNonNull(limits, "limits");
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(false)
                .withMaxOutputSize(limits.maxOutputChars())
                .withMaxStringLength(limits.maxStringChars())
                .withMaxListSize((int) Math.min(Integer.MAX_VALUE, limits.maxSteps()))
                .withMaxMapSize((int) Math.min(Integer.MAX_VALUE, limits.maxSteps()))
                .withMaxRenderDepth(limits.maxNesting())
                .withMaxMacroRecursionDepth(limits.maxNesting())
                .withFailOnUnknownTokens(false)
                .withIterateOverMapKeys(true)
                .withElResolver(pythonAwareResolver())
                .withExecutionMode(PythonOutput.MODE)
                .withDisabled(Map.of(Context.Library.TAG, LOADING_TAGS))
                .withNodePreProcessor((node, interpreter) -> RenderGuard.step())
                .withLegacyOverrides(LegacyOverrides.newBuilder()
                        // Jinja's rule: only "{{-" and "-}}" written together trim whitespace; "{{ -7 }}" prints -7.
                        .withParseWhitespaceControlStrictly(true)
                        // "{{- x }}" and "{{ x -}}" trim like "{%- -%}" (Jinjava ignores them by default).
                        .withUseTrimmingForNotesAndExpressions(true)
                        .build())
                .build();
        this.jinjava = new PythonJinjava(config);
        jinjava.setResourceLocator((name, encoding, interpreter) -> {
            throw new ResourceNotFoundException("chat templates cannot load other templates");
        });
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "raise_exception", TemplateFunctions.class, "raiseException", Object.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "range", TemplateFunctions.class, "range", Object.class, Object[].class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", "strftime_now", TemplateFunctions.class, "strftimeNow", Object.class));
        jinjava.getGlobalContext().registerFunction(new ELFunctionDefinition(
                "", PythonSlices.FUNCTION, PythonSlices.class, "slice", Object.class, Object.class, Object.class));
        jinjava.getGlobalContext().registerTag(new PythonForTag());
        jinjava.getGlobalContext().registerFilter(new PythonJson());
        jinjava.getGlobalContext().registerFilter(new PythonOutput.StringFilter());
        jinjava.getGlobalContext().registerFilter(new PythonOutput.JoinFilter());
    }

    /** This template reading the time for {@code strftime_now} from {@code clock} (tests use a fixed one). */
    public ChatTemplate withClock(Clock clock) {
        return new ChatTemplate(source, bosToken, eosToken, clock, limits);
    }

    /** This template rendered under other limits. */
    public ChatTemplate withLimits(Limits limits) {
        return new ChatTemplate(source, bosToken, eosToken, clock, limits);
    }

    /** The limits every render of this template runs under. */
    public Limits limits() {
        return limits;
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
        resolver.add(new SandboxResolver());
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
        Map<String, Object> bindings = new HashMap<>();
        // transformers always passes these two, as None when the caller gives none.
        bindings.put("tools", null);
        bindings.put("documents", null);
        bindings.putAll(extraVariables);
        bindings.put("raise_exception", new TemplateFunctions.FunctionName("raise_exception"));
        bindings.put("strftime_now", new TemplateFunctions.FunctionName("strftime_now"));
        bindings.put("messages", messages.stream().map(ChatMessage::asTemplateValue).toList());
        bindings.put("add_generation_prompt", addGenerationPrompt);
        bindings.put("bos_token", bosToken);
        bindings.put("eos_token", eosToken);
        checkNesting(prepared, limits.maxNesting());
        RenderResult result;
        RenderGuard guard = RenderGuard.start(limits);
        Clock previousClock = TemplateFunctions.CLOCK.get();
        TemplateFunctions.CLOCK.set(clock);
        try {
            result = jinjava.renderForResult(prepared, bindings);
        } catch (TemplateRaisedException e) {
            throw new ChatTemplateException("The chat template rejected the conversation: " + e.getMessage(), e);
        } catch (StackOverflowError e) {
            throw new ChatTemplateException("The chat template could not be rendered: it nests too deeply.");
        } catch (RuntimeException e) {
            if (guard.tripped() != null) {
                throw new ChatTemplateException(guard.tripped().getMessage());
            }
            if (isTooBig(e)) {
                throw tooBig();
            }
            throw new ChatTemplateException("The chat template could not be rendered: " + oneLine(e.getMessage()), e);
        } finally {
            RenderGuard.stop();
            TemplateFunctions.CLOCK.set(previousClock);
        }
        if (guard.tripped() != null) {
            throw new ChatTemplateException(guard.tripped().getMessage());
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
        if (result.getErrors().stream().anyMatch(e -> isTooBig(e.getException())
                || String.valueOf(e.getMessage()).contains("OutputTooBigException"))) {
            throw tooBig();
        }
        if (!fatal.isEmpty()) {
            TemplateError first = fatal.get(0);
            throw new ChatTemplateException("The chat template could not be rendered (line " + first.getLineno()
                    + "): " + oneLine(first.getMessage()), first.getException());
        }
        return result.getOutput();
    }

    private static boolean isTooBig(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutputTooBigException || c instanceof CollectionTooBigException) {
                return true;
            }
        }
        return false;
    }

    private ChatTemplateException tooBig() {
        return new ChatTemplateException("The chat template was stopped: its output, or a string or list it built, "
                + "passed " + Math.min(limits.maxOutputChars(), limits.maxStringChars()) + " characters or items.");
    }

    /** A message on one line (Jinjava's can span several), shortened to what a person reads. */
    private static String oneLine(String message) {
        String line = JAVA_EXCEPTION_NAME.matcher(String.valueOf(message)).replaceAll("")
                .replaceAll("\\s+", " ").strip();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }

    /**
     * Refuses, before rendering, a template whose blocks or brackets nest deeper than the limit: Jinjava parses and
     * renders recursively, so thousands of nested {@code if}s would otherwise end in a StackOverflowError.
     */
    private static void checkNesting(String template, int maxNesting) {
        int blocks = 0;
        int brackets = 0;
        Matcher tag = BLOCK_TAG.matcher(template);
        while (tag.find()) {
            String name = tag.group(1);
            if (name.startsWith("end")) {
                blocks--;
            } else if (NESTING_TAGS.contains(name) && !(name.equals("set") && tag.group(0).contains("="))) {
                blocks++;
            }
            if (blocks > maxNesting) {
                throw new ChatTemplateException("The chat template was refused: its blocks nest deeper than "
                        + maxNesting + " levels.");
            }
        }
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '(' || c == '[' || c == '{') {
                brackets++;
            } else if (c == ')' || c == ']' || c == '}') {
                brackets = Math.max(0, brackets - 1);
            }
            if (brackets > maxNesting + 2) {
                throw new ChatTemplateException("The chat template was refused: its brackets nest deeper than "
                        + maxNesting + " levels.");
            }
        }
    }

    private static final Pattern BLOCK_TAG = Pattern.compile("\\{%[-+]?\\s*(\\w+)[^%]*%?");
    private static final Set<String> NESTING_TAGS = Set.of("if", "for", "macro", "call", "filter", "set", "raw",
            "with", "autoescape", "block", "generation", "unless");

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
