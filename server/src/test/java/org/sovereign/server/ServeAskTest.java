package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.Operation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /v1/sovereign/ask}: the assistant the window uses, over the library, under the client's own consent. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServeAskTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUESTION = "{\"model\":\"tiny-llama\",\"question\":\"How are varroa mites counted?\","
            + "\"max_tokens\":8,\"temperature\":0,\"passages\":2";

    private ServeFixture f;
    private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        f = new ServeFixture(tmp);
    }

    @AfterAll
    void stop() {
        f.close();
    }

    private HttpResponse<String> ask(String key, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.server.baseUrl() + "/sovereign/ask"))
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anAnswerCitesTheLibraryAndItsAuditEntryNamesTheClient() throws Exception {
        String key = f.register("asker", EnumSet.of(Operation.GENERATE), List.of(f.notes));
        long before = f.workspace.store().audit().size();
        HttpResponse<String> r = ask(key, QUESTION + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(r.body());
        assertThat(answer.get("object").asText()).isEqualTo("sovereign.answer");
        assertThat(answer.get("citations")).isNotEmpty();
        assertThat(answer.at("/citations/0/document").asText()).endsWith("mites.md");
        assertThat(answer.at("/usage/completion_tokens").asInt()).isPositive();

        List<AuditEntry> entries = f.workspace.store().audit().entries(before, f.workspace.store().audit().size());
        ApiClient asker = f.server.clients().list().stream().filter(c -> c.name().equals("asker")).findFirst().orElseThrow();
        assertThat(entries).filteredOn(e -> e.type().equals(AuditTypes.INFERENCE)).singleElement().satisfies(e -> {
            assertThat(e.refs()).containsEntry("client", asker.id()).containsEntry("endpoint", "/v1/sovereign/ask")
                    .containsEntry("consent", asker.consentId());
            assertThat(e.sequence()).isEqualTo(answer.get("audit_entry").asLong());
        });
    }

    @Test
    void aStreamedAnswerSendsDeltasThenTheWholeAnswerThenDone() throws Exception {
        String key = f.register("stream asker", EnumSet.of(Operation.GENERATE), List.of(f.notes));
        HttpResponse<String> r = ask(key, QUESTION + ",\"stream\":true}");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        List<String> events = new ArrayList<>();
        for (String line : r.body().split("\n")) {
            if (line.startsWith("data: ")) {
                events.add(line.substring(6));
            }
        }
        assertThat(events.get(events.size() - 1)).isEqualTo("[DONE]");
        JsonNode whole = JSON.readTree(events.get(events.size() - 2));
        StringBuilder deltas = new StringBuilder();
        for (String e : events.subList(0, events.size() - 2)) {
            deltas.append(JSON.readTree(e).get("delta").asText());
        }
        assertThat(whole.get("object").asText()).isEqualTo("sovereign.answer");
        assertThat(deltas.toString()).isEqualTo(whole.get("answer").asText());
    }

    @Test
    void aClientWhoseConsentDoesNotNameTheLibraryIsRefusedWith403() throws Exception {
        String key = f.register("chat only", EnumSet.of(Operation.GENERATE), List.of());
        HttpResponse<String> r = ask(key, QUESTION + "}");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).at("/error/message").asText())
                .isEqualTo("The consent for 'chat only' does not cover the library documents that match this question.");
    }
}
