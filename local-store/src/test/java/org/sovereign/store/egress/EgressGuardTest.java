package org.sovereign.store.egress;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The guard on real loopback sockets: it asks first, records before any byte leaves, and counts what went. */
class EgressGuardTest {

    record Entry(String type, Map<String, String> refs) {
    }

    private final List<Entry> ledger = new CopyOnWriteArrayList<>();
    private final EgressLedger recorder = (type, refs) -> ledger.add(new Entry(type, Map.copyOf(refs)));

    /** Allows the purpose "test" with consent "c1" only. */
    private final EgressPolicy policy = request -> {
        if (request.purpose().equals("test") && (request.direction() == EgressRequest.Direction.LISTEN
                || "c1".equals(request.consentId()))) {
            return request.consentId() == null ? "started-by-user" : "consent:" + request.consentId();
        }
        throw new EgressRefusedException("No consent allows '" + request.purpose() + "'.");
    };

    private final EgressGuard guard = new EgressGuard(policy, recorder);

    @Test
    void aPermittedConnectionIsRecordedBeforeItOpensAndItsBytesWhenItCloses() throws Exception {
        try (ServerSocket server = guard.listen(EgressRequest.listenOnLoopback("test", 0), 1)) {
            int port = server.getLocalPort();
            try (Socket client = guard.connect(EgressRequest.connect("test", "127.0.0.1", port, "c1"), Duration.ofSeconds(5));
                 Socket accepted = server.accept()) {
                client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                byte[] got = accepted.getInputStream().readNBytes(5);
                assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("hello");
                accepted.getOutputStream().write(new byte[3]);
                assertThat(client.getInputStream().readNBytes(3)).hasSize(3);
            }
        }
        assertThat(ledger).extracting(Entry::type).containsExactly(EgressLedger.LISTENING, EgressLedger.CONNECTED,
                EgressLedger.ACCEPTED, EgressLedger.CLOSED, EgressLedger.CLOSED, EgressLedger.CLOSED);
        Entry connected = ledger.get(1);
        assertThat(connected.refs()).containsEntry("purpose", "test").containsEntry("basis", "consent:c1")
                .containsEntry("direction", "connect");
        Entry clientClosed = ledger.stream().filter(e -> e.type().equals(EgressLedger.CLOSED)
                && "connect".equals(e.refs().get("direction"))).findFirst().orElseThrow();
        assertThat(clientClosed.refs()).containsEntry("sent", "5").containsEntry("received", "3");
        Entry acceptedClosed = ledger.stream().filter(e -> e.type().equals(EgressLedger.CLOSED)
                && e.refs().containsKey("peer")).findFirst().orElseThrow();
        assertThat(acceptedClosed.refs()).containsEntry("sent", "3").containsEntry("received", "5");
    }

    @Test
    void aRefusedConnectionOpensNothingAndIsRecorded() throws Exception {
        try (ServerSocket server = guard.listen(EgressRequest.listenOnLoopback("test", 0), 1)) {
            server.setSoTimeout(300);
            EgressRequest noConsent = EgressRequest.connect("test", "127.0.0.1", server.getLocalPort(), "other");
            assertThatThrownBy(() -> guard.connect(noConsent, Duration.ofSeconds(5)))
                    .isInstanceOf(EgressRefusedException.class).hasMessage("No consent allows 'test'.");
            assertThatThrownBy(server::accept).as("no connection reached the listener")
                    .isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(ledger).extracting(Entry::type).contains(EgressLedger.REFUSED).doesNotContain(EgressLedger.CONNECTED);
        assertThat(ledger.stream().filter(e -> e.type().equals(EgressLedger.REFUSED)).findFirst().orElseThrow().refs())
                .containsEntry("consent", "other");
    }

    @Test
    void listenersStayOnLoopbackUnlessThePersonChoseOtherwise() {
        EgressRequest everywhere = EgressRequest.listen("test", "0.0.0.0", 0, false);
        assertThatThrownBy(() -> guard.listen(everywhere, 1)).isInstanceOf(EgressRefusedException.class)
                .hasMessageContaining("would accept other machines");
        assertThatThrownBy(() -> guard.httpServer(everywhere, 1)).isInstanceOf(EgressRefusedException.class);
        assertThat(new EgressRequest("test", EgressRequest.Direction.LISTEN, "::1", 0, null, false).isLoopback()).isTrue();
        assertThat(new EgressRequest("test", EgressRequest.Direction.LISTEN, "example.org", 0, null, false).isLoopback())
                .as("a name other than localhost is never resolved to decide").isFalse();
    }

    @Test
    void httpGetsAreCheckedPerHostAndRedirectsAreNotFollowedBehindThePolicysBack() throws Exception {
        HttpServer server = guard.httpServer(EgressRequest.listenOnLoopback("test", 0), 4);
        server.createContext("/file", exchange -> {
            byte[] body = "0123456789".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://localhost.example:1/elsewhere");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            EgressRequest base = EgressRequest.connect("test", "127.0.0.1", port, "c1");
            try (EgressGuard.HttpGet get = guard.get(base, URI.create("http://127.0.0.1:" + port + "/file"), Map.of(),
                    Duration.ofSeconds(5)); InputStream body = get.body()) {
                assertThat(get.status()).isEqualTo(200);
                assertThat(body.readAllBytes()).hasSize(10);
            }
            try (EgressGuard.HttpGet moved = guard.get(base, URI.create("http://127.0.0.1:" + port + "/moved"), Map.of(),
                    Duration.ofSeconds(5))) {
                assertThat(moved.status()).as("the redirect is handed back, not followed").isEqualTo(302);
            }
            assertThatThrownBy(() -> guard.get(EgressRequest.connect("test", "127.0.0.1", port, "nope"),
                    URI.create("http://127.0.0.1:" + port + "/file"), Map.of(), Duration.ofSeconds(5)))
                    .isInstanceOf(EgressRefusedException.class);
            assertThatThrownBy(() -> guard.get(base, URI.create("file:///etc/passwd"), Map.of(), Duration.ofSeconds(5)))
                    .isInstanceOf(EgressRefusedException.class).hasMessageContaining("Only http and https");
        } finally {
            server.stop(0);
        }
        Entry firstGetClosed = ledger.stream().filter(e -> e.type().equals(EgressLedger.CLOSED)
                && "connect".equals(e.refs().get("direction"))).findFirst().orElseThrow();
        assertThat(firstGetClosed.refs()).containsEntry("received", "10");
        Entry serverStopped = ledger.get(ledger.size() - 1);
        assertThat(serverStopped.type()).isEqualTo(EgressLedger.CLOSED);
        assertThat(Long.parseLong(serverStopped.refs().get("sent"))).as("the server counted the bodies it sent")
                .isGreaterThanOrEqualTo(10);
    }
}
