package org.sovereign.store.egress;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The only place in the product that opens sockets (ADR-0010). Each method asks the {@link EgressPolicy} first, writes
 * what it opens to the {@link EgressLedger} before any byte leaves, and writes the byte counts when it closes. A
 * refused request opens nothing and is recorded as {@code egress.refused}. Listeners bind to loopback unless the
 * request says the person chose otherwise. Thread-safe.
 */
public final class EgressGuard {
    private final EgressPolicy policy;
    private final EgressLedger ledger;
    private volatile HttpClient http;

    public EgressGuard(EgressPolicy policy, EgressLedger ledger) {
        this.policy = Objects.requireNonNull(policy, "policy");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    /**
     * Writes what a protocol sent over a connection this guard opened (e.g. the mesh's records), in the same ledger as
     * the connections: refs only, never content.
     */
    public void note(String type, Map<String, String> refs) {
        ledger.record(type, Map.copyOf(refs));
    }

    /**
     * Connects to {@code request}'s destination (blocking up to {@code timeout}).
     *
     * @throws EgressRefusedException when the policy refuses; nothing was opened
     */
    public Socket connect(EgressRequest request, Duration timeout) throws IOException {
        return connect(request, null, timeout);
    }

    /** As {@link #connect(EgressRequest, Duration)}, binding the local end to {@code localAddress} first. */
    public Socket connect(EgressRequest request, InetSocketAddress localAddress, Duration timeout) throws IOException {
        requireDirection(request, EgressRequest.Direction.CONNECT);
        Map<String, String> refs = permit(request);
        ledger.record(EgressLedger.CONNECTED, refs);
        CountedSocket socket = new CountedSocket();
        socket.attach(new Tally(ledger, refs));
        try {
            if (localAddress != null) {
                socket.bind(localAddress);
            }
            socket.connect(new InetSocketAddress(request.host(), request.port()), Math.toIntExact(timeout.toMillis()));
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Opens a listening socket on {@code request}'s bind address and port.
     *
     * @throws EgressRefusedException when the policy refuses, or the address is not loopback and the request does not
     *                                say the person chose to accept other machines
     */
    public java.net.ServerSocket listen(EgressRequest request, int backlog) throws IOException {
        requireDirection(request, EgressRequest.Direction.LISTEN);
        Map<String, String> refs = permit(request);
        GuardedServerSocket socket = new GuardedServerSocket(ledger, refs);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName(request.host()), request.port()), backlog);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        recordListening(refs, socket.getLocalPort());
        return socket;
    }

    /**
     * A socket that is not connected yet, for libraries that create a socket first and connect it later (JGroups'
     * {@code SocketFactory}): nothing is opened until its {@code connect}, which asks the policy for the request
     * {@code requestFor} builds from the destination and then connects as {@link #connect(EgressRequest,
     * InetSocketAddress, Duration)} does (a {@code bind} before it sets the local address). Options set before
     * connecting are applied then.
     */
    public Socket unconnectedSocket(java.util.function.Function<InetSocketAddress, EgressRequest> requestFor) {
        return new DeferredSocket(this, Objects.requireNonNull(requestFor, "requestFor"));
    }

    /**
     * A listening socket that is not bound yet, for libraries that create it first and bind it later: its
     * {@code bind} opens it as {@link #listen} does, for the request {@code requestFor} builds from the bind address.
     */
    public java.net.ServerSocket unboundServerSocket(
            java.util.function.Function<InetSocketAddress, EgressRequest> requestFor) throws IOException {
        return new DeferredServerSocket(this, Objects.requireNonNull(requestFor, "requestFor"));
    }

    /**
     * Opens the JDK's HTTP server on {@code request}'s bind address (not started). Its exchanges are counted; stopping
     * it writes the totals.
     */
    public HttpServer httpServer(EgressRequest request, int backlog) throws IOException {
        requireDirection(request, EgressRequest.Direction.LISTEN);
        Map<String, String> refs = permit(request);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(request.host()), request.port()),
                backlog);
        recordListening(refs, server.getAddress().getPort());
        Map<String, String> closing = new LinkedHashMap<>(refs);
        closing.put("port", Integer.toString(server.getAddress().getPort()));
        return new GuardedHttpServer(server, new Tally(ledger, closing));
    }

    /**
     * One HTTP GET to {@code uri}, whose host and port are checked against the policy like a connection (so a redirect
     * to another host needs its own permission: redirects are never followed here; call again with the new location).
     * The body is counted; closing it records the bytes.
     *
     * @throws EgressRefusedException when the policy refuses {@code uri}'s host; nothing was sent
     */
    public HttpGet get(EgressRequest base, URI uri, Map<String, String> headers, Duration timeout)
            throws IOException, InterruptedException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new EgressRefusedException("Only http and https addresses can be fetched, not '" + scheme + "'.");
        }
        if (uri.getHost() == null) {
            throw new EgressRefusedException("The address '" + uri + "' names no host.");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        EgressRequest request = base.towards(uri.getHost(), port);
        requireDirection(request, EgressRequest.Direction.CONNECT);
        Map<String, String> refs = permit(request);
        ledger.record(EgressLedger.CONNECTED, refs);
        Tally tally = new Tally(ledger, refs);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        headers.forEach(builder::header);
        long requestBytes = uri.toString().length() + headers.entrySet().stream()
                .mapToLong(e -> e.getKey().length() + e.getValue().length() + 4).sum();
        tally.addSent(requestBytes);
        try {
            HttpResponse<InputStream> response = client(timeout).send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new HttpGet(response.statusCode(), response.headers(), new CountedBody(tally.counting(response.body()), tally));
        } catch (IOException | InterruptedException | RuntimeException e) {
            tally.close();
            throw e;
        }
    }

    /** An HTTP response whose body must be closed (closing records the bytes received). */
    public record HttpGet(int status, HttpHeaders headers, InputStream body) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    private static final class CountedBody extends java.io.FilterInputStream {
        private final Tally tally;

        CountedBody(InputStream in, Tally tally) {
            super(in);
            this.tally = tally;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                tally.close();
            }
        }
    }

    private HttpClient client(Duration timeout) {
        HttpClient c = http;
        if (c == null) {
            synchronized (this) {
                c = http;
                if (c == null) {
                    c = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                            .proxy(HttpClient.Builder.NO_PROXY).build();
                    http = c;
                }
            }
        }
        return c;
    }

    private Map<String, String> permit(EgressRequest request) {
        Map<String, String> refs = new LinkedHashMap<>();
        refs.put("purpose", request.purpose());
        refs.put("direction", request.direction().name().toLowerCase(Locale.ROOT));
        refs.put("destination", request.destination());
        String basis;
        try {
            if (request.direction() == EgressRequest.Direction.LISTEN && !request.isLoopback() && !request.beyondLoopback()) {
                throw new EgressRefusedException("Listening on " + request.host() + " would accept other machines; "
                        + "only the loopback address is used unless you choose otherwise.");
            }
            basis = policy.authorize(request);
        } catch (EgressRefusedException e) {
            Map<String, String> refused = new LinkedHashMap<>(refs);
            if (request.consentId() != null) {
                refused.put("consent", request.consentId());
            }
            ledger.record(EgressLedger.REFUSED, refused);
            throw e;
        }
        refs.put("basis", Objects.requireNonNull(basis, "basis"));
        return refs;
    }

    private void recordListening(Map<String, String> refs, int boundPort) {
        Map<String, String> entry = new LinkedHashMap<>(refs);
        entry.put("port", Integer.toString(boundPort));
        ledger.record(EgressLedger.LISTENING, entry);
    }

    private static void requireDirection(EgressRequest request, EgressRequest.Direction expected) {
        if (request.direction() != expected) {
            throw new IllegalArgumentException("This request is to " + request.direction() + ", not to " + expected + ".");
        }
    }
}
