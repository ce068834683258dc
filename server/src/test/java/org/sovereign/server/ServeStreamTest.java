package org.sovereign.server;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.Waits;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.server.ServeFixture.TINY;

/**
 * Streams under stress, on the real server: stopping it while a stream is open, a client that goes away mid-stream,
 * a slow sender, and several streaming clients sharing one model. Generation is held at a known point by taking the
 * model's turn first (the same fair lock every caller queues on), never by timing.
 */
class ServeStreamTest {

    @TempDir
    Path tmp;
    private ServeFixture f;
    private String key;
    private OpenAIClient client;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() throws Exception {
        f = new ServeFixture(tmp);
        key = f.register("editor", EnumSet.of(Operation.GENERATE), List.of());
        client = f.client(key);
    }

    @AfterEach
    void stop() throws Exception {
        threads.shutdownNow();
        assertThat(threads.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        client.close();
        f.close();
    }

    private static ChatCompletionCreateParams streamed(int maxTokens) {
        return ChatCompletionCreateParams.builder().model(TINY).addUserMessage("Hello there, how are the bees?")
                .maxCompletionTokens(maxTokens).temperature(0.0).build();
    }

    /** Takes the tiny model's turn and keeps it until {@code release} opens; returns when the turn is held. */
    private Future<?> holdTheModel(CountDownLatch release) throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        Future<?> held = threads.submit(() -> {
            try (ChatModel model = f.workstation.packs().runtime().openChatModel(TINY)) {
                model.chat(List.of(ChatMessage.user("hold")), GenerationRequest.greedy(1), (id, text) -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, new CancellationSignal());
            }
            return null;
        });
        assertThat(holding.await(60, TimeUnit.SECONDS)).as("the test holds the model").isTrue();
        return held;
    }

    private List<AuditEntry> inferences() {
        long size = f.workspace.store().audit().size();
        return f.workspace.store().audit().entries(0, size).stream()
                .filter(e -> e.type().equals(AuditTypes.INFERENCE) && "/v1/chat/completions".equals(e.refs().get("endpoint")))
                .toList();
    }

    @Test
    void stoppingTheServerWhileAStreamIsOpenEndsItCleanlyAndTheAuditLogVerifies() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> held = holdTheModel(release);
        List<ChatCompletionChunk> chunks = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Future<?> reader = threads.submit(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed(100))) {
                stream.stream().forEach(chunks::add);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Waits.waitUntil(() -> !chunks.isEmpty()); // the stream is open: the role chunk arrived, generation waits its turn
        Future<?> stopping = threads.submit(() -> f.server.close());
        Waits.waitUntil(f.server::isStopping);
        release.countDown();
        held.get(60, TimeUnit.SECONDS);
        stopping.get(60, TimeUnit.SECONDS);
        reader.get(60, TimeUnit.SECONDS);

        assertThat(failure.get()).as("the client saw a clean end").isNull();
        assertThat(chunks.get(chunks.size() - 1).choices().get(0).finishReason()).isPresent();
        assertThat(inferences()).singleElement().satisfies(e -> assertThat(e.refs())
                .containsEntry("finishReason", "cancelled").containsEntry("completionTokens", "0"));
        assertThat(f.workspace.store().verifyAudit().holds()).isTrue();
    }

    @Test
    void aClientThatDisconnectsMidStreamStopsItsGeneration() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Future<?> held = holdTheModel(release);
        String body = "{\"model\":\"tiny-llama\",\"stream\":true,\"temperature\":0,\"max_tokens\":200,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Hello there, how are the bees?\"}]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), f.server.address().getPort())) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + bytes.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder seen = new StringBuilder();
            while (!seen.toString().contains("data: ")) {
                int c = in.read();
                assertThat(c).as("the stream opened").isNotNegative();
                seen.append((char) c);
            }
        } // the client is gone while its generation still waits for the model
        release.countDown();
        held.get(60, TimeUnit.SECONDS);
        Waits.waitUntil(() -> !inferences().isEmpty());
        assertThat(inferences()).singleElement().satisfies(e -> {
            assertThat(e.refs()).containsEntry("finishReason", "cancelled");
            assertThat(Integer.parseInt(e.refs().get("completionTokens"))).isLessThan(200);
        });
        assertThat(client.models().list().data()).as("the server is still up").isNotEmpty();
    }

    @Test
    void aSenderThatNeverFinishesItsRequestIsDroppedAndOthersAreServed() throws Exception {
        try (Socket slow = new Socket(InetAddress.getLoopbackAddress(), f.server.address().getPort())) {
            slow.setSoTimeout(60_000);
            slow.getOutputStream().write("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                    .getBytes(StandardCharsets.US_ASCII));
            slow.getOutputStream().flush();
            assertThat(client.models().list().data()).as("others are served meanwhile").isNotEmpty();
            int read;
            try {
                read = slow.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the server closed the unfinished request").isEqualTo(-1);
        }
        assertThat(client.models().list().data()).isNotEmpty();
    }

    @Test
    void eightConcurrentStreamingClientsEachWithItsOwnKeyAllCompleteWithTokens() throws Exception {
        List<Future<Integer>> results = new ArrayList<>();
        List<OpenAIClient> clients = new ArrayList<>();
        CountDownLatch release = new CountDownLatch(1);
        Future<?> held = holdTheModel(release); // held while they connect, so that their calls overlap
        try {
            for (int i = 0; i < 8; i++) {
                OpenAIClient c = f.client(f.register("app " + i, EnumSet.of(Operation.GENERATE), List.of()));
                clients.add(c);
                results.add(threads.submit(() -> {
                    int deltas = 0;
                    try (StreamResponse<ChatCompletionChunk> stream = c.chat().completions().createStreaming(streamed(16))) {
                        for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                            deltas += (int) chunk.choices().stream().filter(ch -> ch.delta().content()
                                    .filter(t -> !t.isEmpty()).isPresent()).count();
                        }
                    }
                    return deltas;
                }));
            }
            release.countDown();
            held.get(60, TimeUnit.SECONDS);
            List<Integer> deltas = new ArrayList<>();
            for (Future<Integer> r : results) {
                deltas.add(r.get(180, TimeUnit.SECONDS));
            }
            assertThat(deltas).as("content deltas per client").hasSize(8).allSatisfy(n -> assertThat(n).isPositive());
            assertThat(inferences()).hasSize(8);
        } finally {
            release.countDown();
            clients.forEach(OpenAIClient::close);
        }
    }

    @Test
    void severalStreamingClientsShareTheModelInTurnAndAllGetTheSameGreedyText() throws Exception {
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            results.add(threads.submit(() -> {
                StringBuilder text = new StringBuilder();
                try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(streamed(24))) {
                    stream.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
                }
                return text.toString();
            }));
        }
        List<String> texts = new ArrayList<>();
        for (Future<String> r : results) {
            texts.add(r.get(120, TimeUnit.SECONDS));
        }
        assertThat(texts).hasSize(4).allSatisfy(t -> assertThat(t).isNotEmpty().isEqualTo(texts.get(0)));
        assertThat(inferences()).hasSize(4);
    }
}
