package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.models.Model;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.testing.Fixtures;

import java.io.IOException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.server.ServeFixture.MINILM;
import static org.sovereign.server.ServeFixture.TINY;

/**
 * The local API driven by the official OpenAI Java SDK against the real server on 127.0.0.1, with a real vault, the
 * tiny Llama fixture and the bundled embedding pack run by ONNX Runtime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServeFixture f;
    private String key;
    private OpenAIClient client;

    @BeforeAll
    void start(@TempDir Path tmp) throws IOException {
        f = new ServeFixture(tmp);
        key = f.register("editor", EnumSet.of(Operation.GENERATE, Operation.EMBED), List.of());
        client = f.client(key);
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        f.close();
    }

    private List<AuditEntry> entriesSince(long size) {
        return f.workspace.store().audit().entries(size, f.workspace.store().audit().size());
    }

    private long auditSize() {
        return f.workspace.store().audit().size();
    }

    private static ChatCompletionCreateParams.Builder hello(int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TINY).addUserMessage("Hello there, how are the bees?")
                .maxCompletionTokens(maxTokens).temperature(0.0);
    }

    /** What `sovereign generate --pack tiny-llama --prompt ... --max-tokens N --temperature 0` writes. */
    private ModelRuntime.GenerateOutcome generatePath(String prompt, int maxTokens) {
        return f.workstation.packs().runtime().generate(new ModelRuntime.GenerateRequest(TINY, prompt, false, maxTokens,
                0.0, null), TokenListener.none(), Optional.empty());
    }

    @Test
    void listsTheInstalledPacksWithTheirKind() {
        List<Model> models = client.models().list().data();
        assertThat(models).extracting(Model::id).containsExactlyInAnyOrder(TINY, MINILM);
        Model tiny = models.stream().filter(m -> m.id().equals(TINY)).findFirst().orElseThrow();
        assertThat(tiny._additionalProperties().get("kind").asString()).hasValue("text-generation");
        assertThat(client.models().retrieve(MINILM)._additionalProperties().get("kind").asString()).hasValue("embedding");
    }

    @Test
    void aChatCompletionIsTheTextTheGeneratePathWritesAndIsAuditedWithoutItsText() {
        long before = auditSize();
        ChatCompletion completion = client.chat().completions().create(hello(12).build());
        ModelRuntime.GenerateOutcome expected = generatePath("Hello there, how are the bees?", 12);

        String text = completion.choices().get(0).message().content().orElseThrow();
        assertThat(text).isNotEmpty().isEqualTo(expected.result().text());
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(expected.result().tokenIds().length);
        assertThat(completion.usage().orElseThrow().promptTokens()).isEqualTo(expected.result().promptTokens());

        List<AuditEntry> calls = entriesSince(before).stream()
                .filter(e -> e.type().equals(AuditTypes.INFERENCE) && "editor".equals(clientName(e))).toList();
        assertThat(calls).singleElement().satisfies(e -> {
            assertThat(e.refs()).containsEntry("endpoint", "/v1/chat/completions").containsEntry("pack", "tiny-llama-1.0")
                    .containsEntry("completionTokens", Long.toString(completion.usage().get().completionTokens()))
                    .containsKeys("packDigest", "consent", "promptTokens", "salts");
            assertThat(e.commitments()).containsOnlyKeys("prompt", "output");
            assertThat(new String(e.toBytes())).doesNotContain("bees").doesNotContain(text);
        });
    }

    private String clientName(AuditEntry e) {
        String id = e.refs().get("client");
        return f.server.clients().list().stream().filter(c -> c.id().equals(id)).map(ApiClient::name).findFirst()
                .orElse(null);
    }

    @Test
    void aStreamedChatCompletionSendsTheSameTextInDeltasThenUsageAndDone() {
        StringBuilder text = new StringBuilder();
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(hello(16)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(c -> {
                chunks.add(c);
                c.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
            });
        }
        ModelRuntime.GenerateOutcome expected = generatePath("Hello there, how are the bees?", 16);
        assertThat(text.toString()).isEqualTo(expected.result().text());
        assertThat(chunks.size()).as("a role chunk, content deltas, the finish chunk and the usage chunk").isGreaterThan(3);
        ChatCompletionChunk last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().completionTokens()).isEqualTo(expected.result().tokenIds().length);
        assertThat(chunks.get(chunks.size() - 2).choices().get(0).finishReason()).isPresent();
    }

    @Test
    void embeddingsEqualTheEmbedPathInFloatAndBase64() {
        List<String> texts = List.of("Varroa mites in August", "a sugar roll counts mites");
        List<float[]> expected = f.workstation.packs().runtime().embed(MINILM, texts);
        for (EmbeddingCreateParams.EncodingFormat format : List.of(EmbeddingCreateParams.EncodingFormat.FLOAT,
                EmbeddingCreateParams.EncodingFormat.BASE64)) {
            CreateEmbeddingResponse r = client.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                    .inputOfArrayOfStrings(texts).encodingFormat(format).build());
            assertThat(r.data()).hasSize(2);
            for (int i = 0; i < texts.size(); i++) {
                List<Float> got = r.data().get(i).embedding();
                assertThat(cosine(got, expected.get(i))).as(format + " text " + i).isGreaterThanOrEqualTo(0.9999);
            }
            assertThat(r.usage().promptTokens()).isPositive();
        }
        CreateEmbeddingResponse one = client.embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                .input("Varroa mites in August").build());
        assertThat(cosine(one.data().get(0).embedding(), expected.get(0))).isGreaterThanOrEqualTo(0.9999);
    }

    private static double cosine(List<Float> a, float[] b) {
        assertThat(a).hasSize(b.length);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < b.length; i++) {
            dot += a.get(i) * b[i];
            na += a.get(i) * a.get(i);
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    void noKeyOrAWrongKeyIsRefusedWith401() throws Exception {
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create(f.server.baseUrl() + "/models")).GET()
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).at("/error/message").asText()).startsWith("This API needs a client key");
        assertThat(JSON.readTree(none.body()).at("/error/code").asText()).isEqualTo("invalid_api_key");
        try (Sdk wrong = new Sdk(f.client("sov-not-a-real-key"))) {
            assertThatThrownBy(() -> wrong.c().chat().completions().create(hello(2).build()))
                    .isInstanceOf(UnauthorizedException.class)
                    .satisfies(e -> assertThat(errorMessage(e)).isEqualTo("This key belongs to no client of this workstation."));
        }
    }

    @Test
    void aRevokedClientIsRefusedWith401AndItsConsentIsWithdrawn() {
        String revokedKey = f.register("notes app", EnumSet.of(Operation.GENERATE), List.of());
        try (Sdk revoked = new Sdk(f.client(revokedKey))) {
            assertThat(revoked.c().models().list().data()).isNotEmpty();
            ApiClient gone = f.server.clients().revoke("notes app");
            assertThatThrownBy(() -> revoked.c().chat().completions().create(hello(2).build()))
                    .isInstanceOf(UnauthorizedException.class)
                    .satisfies(e -> assertThat(errorMessage(e)).startsWith("This client's key was revoked on "));
            assertThat(f.workspace.store().consent().history(gone.consentId()).latest().status().allowsProcessing())
                    .isFalse();
        }
    }

    @Test
    void aClientRevokedThroughAnotherClientsViewIsRefusedOnItsVeryNextCall() {
        String k = f.register("calendar", EnumSet.of(Operation.GENERATE), List.of());
        try (Sdk calendar = new Sdk(f.client(k))) {
            // the server has read its clients for these calls; the Settings screen keeps its own view of them
            assertThat(calendar.c().chat().completions().create(hello(2).build()).choices()).hasSize(1);
            assertThat(calendar.c().models().list().data()).isNotEmpty();
            new ApiClients(f.workspace, Clock.systemUTC()).revoke("calendar");
            assertThatThrownBy(() -> calendar.c().chat().completions().create(hello(2).build()))
                    .isInstanceOf(UnauthorizedException.class)
                    .satisfies(e -> assertThat(errorMessage(e)).startsWith("This client's key was revoked on "));
        }
        // and a client registered through that other view is let in on its first call
        ApiClients.Registration diary = new ApiClients(f.workspace, Clock.systemUTC()).add(new ApiClients.ClientGrant(
                "diary", EnumSet.of(Operation.GENERATE), List.of(), List.of(), 1));
        try (Sdk added = new Sdk(f.client(new String(diary.key())))) {
            assertThat(added.c().chat().completions().create(hello(2).build()).choices()).hasSize(1);
        } finally {
            diary.wipe();
        }
    }

    @Test
    void aPackInstalledOrRemovedWhileServingIsFoundOrMissedOnTheNextCall() throws Exception {
        ChatCompletionCreateParams copy = hello(2).model("tiny-copy").build();
        assertThatThrownBy(() -> client.chat().completions().create(copy)).isInstanceOf(NotFoundException.class);
        Path mpack = f.home.resolveSibling("copy.mpack");
        f.workstation.packs().importer().importFolder(Fixtures.TINY_LLAMA, mpack, "tiny-copy",
                "1.0", "Apache-2.0", null);
        f.workstation.packs().installation().install(f.workspace.store(), mpack, true,
                Progress.NONE);
        assertThat(client.chat().completions().create(copy).choices()).hasSize(1);
        f.workstation.packs().installation().remove(f.workspace.store(), "tiny-copy");
        assertThatThrownBy(() -> client.chat().completions().create(copy)).isInstanceOf(NotFoundException.class);
    }

    @Test
    void theServerSendsEachEventAtOnce() {
        // TCP_NODELAY on the server's connections: a streamed event does not wait for the previous one's ACK
        assertThat(System.getProperty(ApiServer.NO_DELAY_PROPERTY)).isEqualTo("true");
    }

    @Test
    void aWithdrawnConsentIsRefusedWith403InPlainWordsAndTheRefusalIsAudited() {
        String k = f.register("scripts", EnumSet.of(Operation.GENERATE), List.of());
        ApiClient c = f.server.clients().list().stream().filter(x -> x.name().equals("scripts")).findFirst().orElseThrow();
        try (Sdk scripts = new Sdk(f.client(k))) {
            assertThat(scripts.c().chat().completions().create(hello(2).build()).choices()).hasSize(1);
            f.workspace.consents().withdraw(c.consentId(), false);
            long before = auditSize();
            assertThatThrownBy(() -> scripts.c().chat().completions().create(hello(2).build()))
                    .isInstanceOf(PermissionDeniedException.class)
                    .satisfies(e -> {
                        assertThat(errorMessage(e)).startsWith("The consent for 'scripts' was withdrawn on ")
                                .endsWith("so it may not use the local API any more.").doesNotContain(c.consentId());
                        assertThat(((OpenAIServiceException) e).code()).hasValue("consent_withdrawn");
                    });
            assertThat(entriesSince(before)).extracting(AuditEntry::type).contains(CallAudit.REFUSED)
                    .doesNotContain(AuditTypes.INFERENCE);
        }
    }

    @Test
    void aClientWithoutEmbedConsentCannotEmbed() {
        String k = f.register("writer", EnumSet.of(Operation.GENERATE), List.of());
        try (Sdk writer = new Sdk(f.client(k))) {
            assertThatThrownBy(() -> writer.c().embeddings().create(EmbeddingCreateParams.builder().model(MINILM)
                    .input("x").build())).isInstanceOf(PermissionDeniedException.class)
                    .satisfies(e -> assertThat(errorMessage(e)).isEqualTo(
                            "The consent for 'writer' does not allow it to compute embeddings."));
        }
    }

    @Test
    void anUnknownModelIs404AndTheWrongKindIs400() {
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o").addUserMessage("hi").build())).isInstanceOf(NotFoundException.class)
                .satisfies(e -> {
                    assertThat(errorMessage(e)).isEqualTo("The model 'gpt-4o' is not installed on this workstation.");
                    assertThat(((OpenAIServiceException) e).code()).hasValue("model_not_found");
                });
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MINILM).addUserMessage("hi").build())).isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(errorMessage(e)).contains("an embedding model; it cannot write text"));
    }

    @Test
    void aRequestOverTheModelsContextIs400NamingTheLimit() {
        String longText = "bees ".repeat(400);
        assertThatThrownBy(() -> client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(TINY).addUserMessage(longText).build())).isInstanceOf(BadRequestException.class)
                .satisfies(e -> {
                    assertThat(errorMessage(e)).startsWith("This model's context holds at most 256 tokens");
                    assertThat(((OpenAIServiceException) e).code()).hasValue("context_length_exceeded");
                });
        assertThatThrownBy(() -> client.chat().completions().create(hello(250).build()))
                .isInstanceOf(BadRequestException.class)
                .satisfies(e -> assertThat(errorMessage(e)).contains("at most 256 tokens").contains("250"));
    }

    @Test
    void malformedJsonWrongTypesAndOversizedBodiesGetCleanErrorsAndTheServerStaysUp() throws Exception {
        long before = auditSize();
        HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
        HttpResponse<String> bad = post(http, "/chat/completions", "{\"model\": \"tiny-llama\", \"messages\": [");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(bad.body()).get("error");
        assertThat(error.get("message").asText()).startsWith("The request body is not valid JSON");
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.has("param")).isTrue();
        assertThat(error.has("code")).isTrue();

        HttpResponse<String> wrongType = post(http, "/chat/completions",
                "{\"model\": \"tiny-llama\", \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}], \"temperature\": \"hot\"}");
        assertThat(wrongType.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongType.body()).at("/error/param").asText()).isEqualTo("temperature");

        String huge = "{\"model\":\"all-minilm-l6-v2\",\"input\":\"" + "a".repeat(ApiServer.DEFAULT_MAX_BODY_BYTES) + "\"}";
        HttpResponse<String> tooBig = post(http, "/embeddings", huge);
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(JSON.readTree(tooBig.body()).at("/error/code").asText()).isEqualTo("request_too_large");

        HttpResponse<String> nowhere = post(http, "/completions", "{}");
        assertThat(nowhere.statusCode()).isEqualTo(404);

        assertThat(entriesSince(before)).extracting(AuditEntry::type).doesNotContain(AuditTypes.INFERENCE,
                CallAudit.REFUSED);
        assertThat(client.models().list().data()).isNotEmpty();
    }

    private HttpResponse<String> post(HttpClient http, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.server.baseUrl() + path))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theServerListensOnLoopbackAndAnotherAddressIsRefusedUnlessChosen() {
        assertThat(f.server.address().getAddress().isLoopbackAddress()).isTrue();
        assertThat(f.server.baseUrl()).startsWith("http://127.0.0.1:");
        ApiServer.Options notChosen = new ApiServer.Options("0.0.0.0", false, 0, ApiServer.DEFAULT_MAX_BODY_BYTES, 2);
        assertThat(notChosen.beyondLoopback()).isTrue();
        long before = auditSize();
        assertThatThrownBy(() -> ApiServer.start(f.workspace, f.workstation.packs(), notChosen))
                .isInstanceOf(EgressRefusedException.class).hasMessageContaining("would accept other machines");
        assertThat(entriesSince(before)).extracting(AuditEntry::type).containsExactly(AuditTypes.EGRESS_REFUSED);
    }

    @Test
    void theSdkConnectsNowhereButTheBaseUrlItWasGiven() {
        List<URI> asked = new CopyOnWriteArrayList<>();
        ProxySelector previous = ProxySelector.getDefault();
        ProxySelector.setDefault(new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {
            }
        });
        try (Sdk fresh = new Sdk(f.client(key))) {
            fresh.c().models().list();
            fresh.c().chat().completions().create(hello(2).build());
            fresh.c().embeddings().create(EmbeddingCreateParams.builder().model(MINILM).input("x").build());
        } finally {
            ProxySelector.setDefault(previous);
        }
        URI base = URI.create(f.server.baseUrl());
        assertThat(asked).isNotEmpty().allSatisfy(u -> {
            assertThat(u.getHost()).isEqualTo("127.0.0.1");
            assertThat(u.getPort()).isEqualTo(base.getPort());
        });
    }

    /** An SDK client closed after use. */
    record Sdk(OpenAIClient c) implements AutoCloseable {
        @Override
        public void close() {
            c.close();
        }
    }

    /** The plain sentence of an OpenAI-style error, as the SDK received it. */
    static String errorMessage(Throwable e) {
        JsonNode body = ((OpenAIServiceException) e).body().convert(JsonNode.class);
        return (body.has("error") ? body.get("error") : body).path("message").asText();
    }

    @Test
    void aClientsKeyIsNeverStoredOnlyItsHash() throws Exception {
        String key = f.register("notes-app", EnumSet.of(Operation.GENERATE), List.of());
        var session = f.workspace.store().session();
        List<String> stored = new java.util.ArrayList<>();
        for (var scope : session.scopes()) {
            for (var item : session.items(scope.id())) {
                session.readItem(item.id()).ifPresent(b -> stored.add(new String(b, java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
        String hash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(stored).noneMatch(text -> text.contains(key)).noneMatch(text -> text.contains(key.substring(4)));
        assertThat(stored).filteredOn(text -> text.contains("notes-app")).singleElement().asString().contains(hash);
        assertThat(f.workspace.store().audit().entries(0, f.workspace.store().audit().size()))
                .noneMatch(e -> e.toString().contains(key));
    }
}
