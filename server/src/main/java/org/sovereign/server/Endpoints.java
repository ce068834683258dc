package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.assistant.Answer;
import org.sovereign.core.assistant.AskListener;
import org.sovereign.core.assistant.AskRequest;
import org.sovereign.core.library.Passage;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.PackFailure;
import org.sovereign.core.packs.PackSummary;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.ContextLimitExceededException;
import org.sovereign.packs.generation.FinishReason;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.GenerationResult;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.packs.template.ChatTemplateException;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The endpoints of the local API, each over the same core path as the window and the command line: chat completions
 * through {@link ModelRuntime#openChatModel} with {@link ModelRuntime#generationSettings} (so the same options give
 * the text {@code sovereign generate} gives), embeddings through {@link ModelRuntime#embedCounted} (the path of
 * {@code sovereign embed}), and asking through the workspace's {@link org.sovereign.core.assistant.AskQuestion}.
 */
final class Endpoints {

    static final String CHAT = "/v1/chat/completions";
    static final String EMBEDDINGS = "/v1/embeddings";
    static final String ASK = "/v1/sovereign/ask";
    static final String TEXT_GENERATION = "text-generation";
    static final String EMBEDDING = "embedding";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UnlockedWorkspace workspace;
    private final Packs packs;
    private final ApiClients clients;
    private final ApiServer server;
    private final Map<String, ChatModel> chats = new HashMap<>();
    /** Model names resolved while the packs folder stays as it was ({@link #resolve}); guarded by itself. */
    private final Map<String, Resolved> resolved = new HashMap<>();
    private Object resolvedStamp;

    Endpoints(UnlockedWorkspace workspace, Packs packs, ApiClients clients, ApiServer server) {
        this.workspace = workspace;
        this.packs = packs;
        this.clients = clients;
        this.server = server;
    }

    private ModelRuntime runtime() {
        return packs.runtime();
    }

    /**
     * The loaded model of {@code pack}, opened on its first call and kept for the server's life (a lease: a pack
     * removed meanwhile stays loaded until the server stops), so a call does not re-check the pack's files.
     */
    private ChatModel chatModel(ModelRuntime.PackRef pack) {
        synchronized (chats) {
            ChatModel chat = chats.get(pack.digest());
            if (chat == null) {
                chat = runtime().openChatModel(pack.id());
                if (!chat.packDigest().equals(pack.digest())) {
                    // the pack changed between its lookup and its load: the consent was checked for another digest
                    chat.close();
                    forgetResolved();
                    throw new ApiError(409, "invalid_request_error", "model_changed", "model", "The model pack '"
                            + pack.name() + "' changed while this request was read; send it again.");
                }
                chats.put(pack.digest(), chat);
            }
            return chat;
        }
    }

    /** Releases the models the chat endpoint kept (when the server stops). */
    void close() {
        synchronized (chats) {
            chats.values().forEach(ChatModel::close);
            chats.clear();
        }
    }

    // ---------------------------------------------------------------- GET /v1/models

    void models(HttpExchange exchange, ApiClient client, String one) throws IOException {
        clients.authorize(client, null, null);
        ArrayNode data = ApiServer.array();
        for (PackSummary p : packs.catalog().list()) {
            if (!p.state().startsWith("files ok")) {
                continue;
            }
            ModelRuntime.PackRef ref;
            try {
                ref = runtime().pack(p.id());
            } catch (RuntimeException e) {
                continue;
            }
            if (!clients.allowsPack(client, ref.digest())) {
                continue;
            }
            if (one != null && !one.equals(ref.name()) && !one.equals(ref.id())) {
                continue;
            }
            ObjectNode m = data.addObject();
            m.put("id", ref.name());
            m.put("object", "model");
            m.put("created", 0);
            m.put("owned_by", "sovereign");
            m.put("kind", ref.kind());
            m.put("version", p.version());
            m.put("digest", ref.digest());
        }
        if (one != null) {
            if (data.isEmpty()) {
                throw ApiError.modelNotFound(one);
            }
            ApiServer.sendJson(exchange, 200, data.get(0));
            return;
        }
        ObjectNode root = ApiServer.JSON.createObjectNode();
        root.put("object", "list");
        root.set("data", data);
        ApiServer.sendJson(exchange, 200, root);
    }

    // ---------------------------------------------------------------- POST /v1/chat/completions

    void chat(HttpExchange exchange, ApiClient client, JsonNode json) throws IOException {
        JsonBody body = new JsonBody(json);
        String model = body.requiredText("model");
        List<ChatMessage> messages = messages(body);
        boolean stream = body.bool("stream", false);
        boolean includeUsage = false;
        JsonNode streamOptions = body.node("stream_options");
        if (streamOptions != null) {
            includeUsage = new JsonBody(streamOptions).bool("include_usage", false);
        }
        Integer maxTokens = body.integer("max_completion_tokens", 1, 1_000_000);
        if (maxTokens == null) {
            maxTokens = body.integer("max_tokens", 1, 1_000_000);
        }
        Double temperature = body.number("temperature", 0, false, 2);
        Double topP = body.number("top_p", 0, true, 1);
        Long seed = body.longValue("seed");
        Integer n = body.integer("n", 1, 128);
        if (n != null && n != 1) {
            throw ApiError.badRequest("n", "This API writes one choice per request; 'n' must be 1.");
        }
        List<String> stop = body.strings("stop", 4);
        if (stop.stream().anyMatch(String::isEmpty)) {
            throw ApiError.badRequest("stop", "A stop sequence cannot be empty.");
        }

        Resolved resolved = resolve(model, TEXT_GENERATION);
        ModelRuntime.PackRef pack = resolved.ref();
        ConsentTerms consent = authorize(client, CHAT, Operation.GENERATE, pack.digest());
        GenerationRequest gen = resolved.defaults().request(maxTokens, temperature, topP, seed).withStopStrings(stop);
        ChatModel chat = chatModel(pack);
        ChatModel.PreparedPrompt prompt = prepare(chat, messages);
        int promptTokens = prompt.tokens();
        gen = fitContext(chat, promptTokens, maxTokens, gen);
        CancellationSignal cancel = server.startGeneration();
        try {
            String id = "chatcmpl-" + randomHex(12);
            long created = System.currentTimeMillis() / 1000;
            GenerationResult result;
            if (stream) {
                result = streamChat(exchange, chat, prompt, gen, cancel, id, created, model, includeUsage);
            } else {
                result = generate(chat, prompt, gen, TokenListener.none(), cancel);
            }
            int completion = result.tokenIds().length;
            CallAudit.answered(workspace.store(), client, CHAT, pack.id(), pack.digest(), consent.recordId(),
                    promptTokens, completion, result.finishReason().name().toLowerCase(Locale.ROOT),
                    promptCommitted(messages),
                    result.text());
            if (!stream) {
                ObjectNode root = chatObject(id, "chat.completion", created, model);
                ObjectNode choice = root.putArray("choices").addObject();
                choice.put("index", 0);
                ObjectNode message = choice.putObject("message");
                message.put("role", "assistant");
                message.put("content", result.text());
                message.putNull("refusal");
                choice.putNull("logprobs");
                choice.put("finish_reason", finishReason(result.finishReason()));
                root.set("usage", usage(promptTokens, completion));
                ApiServer.sendJson(exchange, 200, root);
            }
        } finally {
            server.endGeneration(cancel);
        }
    }

    private GenerationResult streamChat(HttpExchange exchange, ChatModel chat, ChatModel.PreparedPrompt prompt,
                                        GenerationRequest gen, CancellationSignal cancel, String id, long created,
                                        String model, boolean includeUsage) throws IOException {
        EventStream events = EventStream.open(exchange);
        events.send(chunk(id, created, model, includeUsage, delta("role", "assistant", "content", ""), null));
        TokenListener listener = (tokenId, text) -> {
            if (!text.isEmpty() && !events.send(chunk(id, created, model, includeUsage, delta("content", text), null))) {
                cancel.cancel(); // the client went away: stop its generation at the next step
            }
        };
        GenerationResult result;
        try {
            result = generate(chat, prompt, gen, listener, cancel);
        } catch (RuntimeException e) {
            ApiError error = e instanceof ApiError a ? a : new ApiError(500, "server_error", null, null,
                    "The model stopped with an error; the workstation's log has the details.");
            events.send(json(ApiServer.errorBody(error)));
            throw e;
        }
        events.send(chunk(id, created, model, includeUsage, ApiServer.JSON.createObjectNode(),
                finishReason(result.finishReason())));
        if (includeUsage) {
            ObjectNode last = chatObject(id, "chat.completion.chunk", created, model);
            last.putArray("choices");
            last.set("usage", usage(prompt.tokens(), result.tokenIds().length));
            events.send(json(last));
        }
        events.done();
        return result;
    }

    /**
     * One generation from the prompt {@link #prepare} rendered (the template is rendered once per call); a context
     * that fills up while writing ends it as if by length.
     */
    private static GenerationResult generate(ChatModel chat, ChatModel.PreparedPrompt prompt, GenerationRequest gen,
                                             TokenListener listener, CancellationSignal cancel) {
        try {
            return chat.chat(prompt, gen, listener, cancel);
        } catch (ContextLimitExceededException e) {
            if (e.partialResult() != null) {
                return e.partialResult();
            }
            throw contextError(e.contextLimit(), e.promptTokens(), gen.maxNewTokens());
        }
    }

    private static ChatModel.PreparedPrompt prepare(ChatModel chat, List<ChatMessage> messages) {
        try {
            return chat.prepare(messages);
        } catch (ChatTemplateException e) {
            throw ApiError.badRequest("messages", "The model's chat template could not format these messages: "
                    + e.getMessage());
        }
    }

    /**
     * Refuses a request over the model's context (the limit named); without {@code max_tokens}, the answer's length is
     * cut to what fits.
     */
    private static GenerationRequest fitContext(ChatModel chat, int promptTokens, Integer asked, GenerationRequest gen) {
        int limit = chat.contextLimit();
        if (limit == ChatModel.UNKNOWN_CONTEXT) {
            return gen;
        }
        if (promptTokens >= limit || (asked != null && promptTokens + asked > limit)) {
            throw contextError(limit, promptTokens, asked == null ? 0 : asked);
        }
        if (promptTokens + gen.maxNewTokens() > limit) {
            return new GenerationRequest(limit - promptTokens, gen.sampling(), gen.stopStrings(),
                    gen.extraStopTokenIds(), gen.skipSpecialTokens());
        }
        return gen;
    }

    private static ApiError contextError(int limit, int prompt, int completion) {
        return new ApiError(400, "invalid_request_error", "context_length_exceeded", "messages",
                "This model's context holds at most " + limit + " tokens, but the messages take " + prompt
                        + (completion > 0 ? " and the answer may take " + completion : "")
                        + ". Shorten the messages" + (completion > 0 ? " or ask for fewer tokens." : "."));
    }

    private static List<ChatMessage> messages(JsonBody body) {
        JsonNode list = body.node("messages");
        if (list == null) {
            throw ApiError.badRequest("messages", "The field 'messages' is required.");
        }
        if (!list.isArray() || list.isEmpty()) {
            throw ApiError.badRequest("messages", "The field 'messages' must be a non-empty list.");
        }
        List<ChatMessage> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode m = list.get(i);
            String param = "messages[" + i + "]";
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw ApiError.badRequest(param, "Each message must be an object with a 'role'.");
            }
            String role = m.get("role").asText();
            role = switch (role) {
                case "system", "developer" -> "system";
                case "user", "assistant" -> role;
                default -> throw ApiError.badRequest(param + ".role", "This API takes system, developer, user and "
                        + "assistant messages, not '" + role + "'.");
            };
            out.add(new ChatMessage(role, content(m.get("content"), param + ".content")));
        }
        return out;
    }

    private static String content(JsonNode content, String param) {
        if (content != null && content.isTextual()) {
            return content.asText();
        }
        if (content != null && content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode part : content) {
                if (!part.isObject() || !"text".equals(part.path("type").asText()) || !part.path("text").isTextual()) {
                    throw ApiError.badRequest(param, "Only text content parts are supported.");
                }
                sb.append(part.get("text").asText());
            }
            return sb.toString();
        }
        throw ApiError.badRequest(param, "A message's content must be a string or a list of text parts.");
    }

    /** What the audit entry commits to for a chat: the messages as role and content pairs, in order. */
    private static String promptCommitted(List<ChatMessage> messages) {
        ArrayNode a = ApiServer.array();
        messages.forEach(m -> a.addArray().add(m.role()).add(m.content()));
        return json(a);
    }

    private static ObjectNode chatObject(String id, String object, long created, String model) {
        ObjectNode root = ApiServer.JSON.createObjectNode();
        root.put("id", id);
        root.put("object", object);
        root.put("created", created);
        root.put("model", model);
        root.putNull("system_fingerprint");
        return root;
    }

    private static String chunk(String id, long created, String model, boolean includeUsage, ObjectNode delta,
                                String finish) {
        ObjectNode root = chatObject(id, "chat.completion.chunk", created, model);
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finish);
        if (includeUsage) {
            root.putNull("usage");
        }
        return json(root);
    }

    private static ObjectNode delta(String... pairs) {
        ObjectNode d = ApiServer.JSON.createObjectNode();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            d.put(pairs[i], pairs[i + 1]);
        }
        return d;
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = ApiServer.JSON.createObjectNode();
        u.put("prompt_tokens", prompt);
        u.put("completion_tokens", completion);
        u.put("total_tokens", prompt + completion);
        return u;
    }

    static String finishReason(FinishReason reason) {
        return switch (reason) {
            case MAX_TOKENS, CONTEXT_FULL -> "length";
            case END_OF_SEQUENCE, STOP_STRING, CANCELLED -> "stop";
        };
    }

    // ---------------------------------------------------------------- POST /v1/embeddings

    void embeddings(HttpExchange exchange, ApiClient client, JsonNode json) throws IOException {
        JsonBody body = new JsonBody(json);
        String model = body.requiredText("model");
        JsonNode input = body.node("input");
        if (input == null) {
            throw ApiError.badRequest("input", "The field 'input' is required.");
        }
        if (input.isArray() && !input.isEmpty() && input.get(0).isNumber() || input.isArray() && !input.isEmpty()
                && input.get(0).isArray()) {
            throw ApiError.badRequest("input", "This API embeds text; send a string or a list of strings, not tokens.");
        }
        List<String> texts = body.strings("input", 2048);
        if (texts.isEmpty() || texts.stream().anyMatch(String::isEmpty)) {
            throw ApiError.badRequest("input", "Give at least one text to embed, and no empty ones.");
        }
        JsonNode formatNode = body.node("encoding_format");
        String format = formatNode == null ? "float" : formatNode.asText();
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiError.badRequest("encoding_format", "The field 'encoding_format' must be 'float' or 'base64'.");
        }
        Integer dimensions = body.integer("dimensions", 1, 1_000_000);

        ModelRuntime.PackRef pack = resolve(model, EMBEDDING).ref();
        ConsentTerms consent = authorize(client, EMBEDDINGS, Operation.EMBED, pack.digest());
        ModelRuntime.Embeddings result = runtime().embedCounted(pack.id(), texts);
        if (!result.packDigest().equals(pack.digest())) {
            forgetResolved(); // the pack changed since it was resolved: the consent was checked for another digest
            throw new ApiError(409, "invalid_request_error", "model_changed", "model", "The model pack '"
                    + pack.name() + "' changed while this request was read; send it again.");
        }
        int width = result.vectors().get(0).length;
        if (dimensions != null && dimensions != width) {
            throw ApiError.badRequest("dimensions", "This model's embeddings have " + width
                    + " dimensions; it cannot give " + dimensions + ".");
        }
        ObjectNode root = ApiServer.JSON.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        StringBuilder committed = new StringBuilder();
        for (int i = 0; i < result.vectors().size(); i++) {
            float[] v = result.vectors().get(i);
            ObjectNode e = data.addObject();
            e.put("object", "embedding");
            e.put("index", i);
            String base64 = base64(v);
            committed.append(base64).append('\n');
            if (format.equals("base64")) {
                e.put("embedding", base64);
            } else {
                ArrayNode values = e.putArray("embedding");
                for (float x : v) {
                    values.add(Float.isFinite(x) ? x : 0f);
                }
            }
        }
        root.put("model", model);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", result.tokens());
        usage.put("total_tokens", result.tokens());
        ArrayNode inputs = ApiServer.array();
        texts.forEach(inputs::add);
        CallAudit.answered(workspace.store(), client, EMBEDDINGS, pack.id(), pack.digest(), consent.recordId(),
                result.tokens(), 0, "stop", json(inputs), committed.toString());
        ApiServer.sendJson(exchange, 200, root);
    }

    /** The float32 values, little-endian, in base64: OpenAI's {@code encoding_format: base64}. */
    static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    // ---------------------------------------------------------------- POST /v1/sovereign/ask

    void ask(HttpExchange exchange, ApiClient client, JsonNode json) throws IOException {
        JsonBody body = new JsonBody(json);
        String question = body.requiredText("question");
        String model = body.requiredText("model");
        boolean stream = body.bool("stream", false);
        Integer passages = body.integer("passages", 1, 20);
        Integer maxTokens = body.integer("max_completion_tokens", 1, 1_000_000);
        if (maxTokens == null) {
            maxTokens = body.integer("max_tokens", 1, 1_000_000);
        }
        Double temperature = body.number("temperature", 0, false, 2);
        Long seed = body.longValue("seed");

        Resolved resolved = resolve(model, TEXT_GENERATION);
        ModelRuntime.PackRef pack = resolved.ref();
        authorize(client, ASK, Operation.GENERATE, pack.digest());
        GenerationRequest gen = resolved.defaults().request(maxTokens, temperature, null, seed);
        AskRequest request = new AskRequest(question, client.purpose(), passages == null ? 4 : passages, pack.id(), -1,
                null, gen).withAuditRefs(Map.of("client", client.id(), "endpoint", ASK));
        CancellationSignal cancel = server.startGeneration();
        try {
            String id = "ask-" + randomHex(12);
            EventStream events = stream ? EventStream.open(exchange) : null;
            AskListener listener = stream ? new AskListener() {
                @Override
                public void onToken(long tokenId, String text) {
                    if (!text.isEmpty()) {
                        ObjectNode d = ApiServer.JSON.createObjectNode();
                        d.put("id", id);
                        d.put("object", "sovereign.answer.delta");
                        d.put("delta", text);
                        if (!events.send(json(d))) {
                            cancel.cancel();
                        }
                    }
                }
            } : new AskListener() {
                @Override
                public void onToken(long tokenId, String text) {
                }
            };
            Answer answer;
            try {
                answer = workspace.assistant().ask(request, listener, cancel);
            } catch (ConsentRefusedException e) {
                ApiError error = ApiError.forbidden("consent_does_not_cover", "The consent for '" + client.name()
                        + "' does not cover " + (e.missing().contains(ConsentRefusedException.Missing.SOURCES)
                        ? "the library documents that match this question." : "this question."));
                CallAudit.refused(workspace.store(), client, ASK, error.code());
                if (events != null) {
                    events.send(json(ApiServer.errorBody(error)));
                    events.done();
                    return;
                }
                throw error;
            }
            ObjectNode root = answerObject(id, model, answer);
            if (events != null) {
                events.send(json(root));
                events.done();
            } else {
                ApiServer.sendJson(exchange, 200, root);
            }
        } finally {
            server.endGeneration(cancel);
        }
    }

    private static ObjectNode answerObject(String id, String model, Answer answer) {
        ObjectNode root = ApiServer.JSON.createObjectNode();
        root.put("id", id);
        root.put("object", "sovereign.answer");
        root.put("model", model);
        root.put("answer", answer.text());
        ArrayNode citations = root.putArray("citations");
        for (int i = 0; i < answer.citations().size(); i++) {
            Passage p = answer.citations().get(i);
            ObjectNode c = citations.addObject();
            c.put("index", i + 1);
            c.put("document", p.document().toString());
            c.put("start", p.start());
            c.put("end", p.end());
            c.put("text", p.text());
        }
        GenerationResult stats = answer.stats();
        if (stats != null) {
            root.put("finish_reason", finishReason(stats.finishReason()));
            root.set("usage", usage(stats.promptTokens(), stats.tokenIds().length));
        }
        root.put("audit_entry", answer.auditSequence());
        return root;
    }

    // ---------------------------------------------------------------- shared

    /**
     * A model name resolved to an installed pack, with its generation defaults ({@code null} for an embedding pack).
     */
    private record Resolved(ModelRuntime.PackRef ref, ModelRuntime.GenerationDefaults defaults) {
    }

    /**
     * The installed pack a request names, of the kind the endpoint needs. Resolving reads every installed manifest, so
     * a name's pack is kept while the packs folder is unchanged (any install or removal renames a folder in it, which
     * changes it); the consent is still checked against the digest on every call, and a pack whose files changed in
     * place is caught when its model loads ({@link #chatModel}).
     */
    private Resolved resolve(String model, String kind) {
        Resolved r;
        synchronized (resolved) {
            Object stamp = packsStamp();
            if (stamp == null || !stamp.equals(resolvedStamp)) {
                resolved.clear();
                resolvedStamp = stamp;
            }
            r = resolved.get(model);
            if (r == null) {
                ModelRuntime.PackRef ref;
                try {
                    ref = runtime().pack(model);
                } catch (PackFailure e) {
                    throw translate(e);
                }
                r = new Resolved(ref, ref.kind().equals(TEXT_GENERATION) ? runtime().generationDefaults(ref.id()) : null);
                if (stamp != null) {
                    resolved.put(model, r);
                }
            }
        }
        ModelRuntime.PackRef ref = r.ref();
        if (!ref.kind().equals(kind)) {
            throw ApiError.badRequest("model", "The model '" + model + "' is " + (ref.kind().equals(EMBEDDING)
                    ? "an embedding model; it cannot write text." : "a text-generation model; it cannot embed text."));
        }
        return r;
    }

    /** The packs folder's modification time and identity, or null when it cannot be read (then nothing is kept). */
    private Object packsStamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(packs.catalog().packsDir(), BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), String.valueOf(a.fileKey()));
        } catch (IOException e) {
            return null;
        }
    }

    private void forgetResolved() {
        synchronized (resolved) {
            resolved.clear();
            resolvedStamp = null;
        }
    }

    /** The client's consent for this call, or a 401/403 (a refusal for consent is audited). */
    private ConsentTerms authorize(ApiClient client, String endpoint, Operation op, String packDigest) {
        try {
            return clients.authorize(client, op, packDigest);
        } catch (ApiError e) {
            if (e.status() == 403) {
                CallAudit.refused(workspace.store(), client, endpoint, e.code());
            }
            throw e;
        }
    }

    static ApiError translate(PackFailure e) {
        if (e.reason() instanceof PackFailure.NotInstalled n) {
            return ApiError.modelNotFound(n.pack());
        }
        return ApiError.badRequest("model", e.reason().plainWords());
    }

    private static String json(JsonNode node) {
        try {
            return ApiServer.JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
