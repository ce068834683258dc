package org.sovereign.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.packs.PackFailure;
import org.sovereign.core.packs.Packs;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.store.egress.EgressRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The local OpenAI-compatible API ({@code sovereign serve}): the JDK's HTTP server, opened only through the workspace's
 * egress guard (ADR-0010), on loopback unless the person chose another address. Every call needs a client's key
 * ({@link ApiClients}) and is checked against that client's consent; each answered call leaves one audit entry.
 *
 * <p>Endpoints: {@code GET /v1/models}, {@code POST /v1/chat/completions}, {@code POST /v1/embeddings} and
 * {@code POST /v1/sovereign/ask}. Request bodies are bounded ({@link Options#maxBodyBytes()}); a request whose headers
 * and body are not read within {@link #REQUEST_READ_SECONDS} seconds is dropped (slow senders cannot hold a thread).
 * Generations on one model take turns in core; a client that disconnects mid-stream stops its generation, and
 * {@link #close()} ends every open stream cleanly before the server stops.
 */
public final class ApiServer implements AutoCloseable {

    /** The port {@code sovereign serve} listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 8765;
    /** The largest request body accepted, in bytes. */
    public static final int DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** How long the JDK server gives a request to arrive (headers and body), unless the JVM was started with its own. */
    public static final int REQUEST_READ_SECONDS = 30;
    static final String MAX_REQ_TIME_PROPERTY = "sun.net.httpserver.maxReqTime";
    /** Sends each write at once ({@code TCP_NODELAY}), so every streamed token leaves when it is written. */
    static final String NO_DELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int STOP_GRACE_SECONDS = 5;
    /** The most of a refused body read (and dropped) before the connection is closed. */
    private static final long DISCARD_LIMIT = 32L * 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How to serve.
     *
     * @param bindAddress  the address to listen on, or {@code null} for loopback (127.0.0.1) only
     * @param chosen       the person explicitly chose {@code bindAddress} (the guard refuses a non-loopback address
     *                     otherwise)
     * @param port         the port; 0 for any free one
     * @param maxBodyBytes the largest request body accepted
     * @param threads      how many requests are handled at once (the rest wait for a thread)
     */
    public record Options(String bindAddress, boolean chosen, int port, int maxBodyBytes, int threads) {
        public Options {
            if (maxBodyBytes < 1024 || threads < 1) {
                throw new IllegalArgumentException("The body limit must be at least 1 KiB and there must be a thread.");
            }
        }

        /** Loopback only, on {@code port}, with the default limits. */
        public static Options loopback(int port) {
            return new Options(null, false, port, DEFAULT_MAX_BODY_BYTES, 32);
        }

        /** The same, listening on {@code address}, which the person explicitly chose. */
        public Options bind(String address) {
            return new Options(address, true, port, maxBodyBytes, threads);
        }

        public Options withMaxBodyBytes(int bytes) {
            return new Options(bindAddress, chosen, port, bytes, threads);
        }

        /** Whether the address is one other machines could reach (anything but loopback). */
        public boolean beyondLoopback() {
            return bindAddress != null
                    && !EgressRequest.listen(NetworkPurposes.SERVE, bindAddress, 0, false).isLoopback();
        }
    }

    private final UnlockedWorkspace workspace;
    private final Packs packs;
    private final ApiClients clients;
    private final Options options;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Set<CancellationSignal> running = ConcurrentHashMap.newKeySet();
    private final Endpoints endpoints;
    private volatile boolean stopping;
    private boolean closed;
    private int inFlight;

    private ApiServer(UnlockedWorkspace workspace, Packs packs, Options options, HttpServer server,
                      ExecutorService executor) {
        this.workspace = workspace;
        this.packs = packs;
        this.options = options;
        this.server = server;
        this.executor = executor;
        this.clients = new ApiClients(workspace, Clock.systemUTC());
        this.endpoints = new Endpoints(workspace, packs, clients, this);
    }

    /**
     * Opens the server through the workspace's egress guard and starts it. Blocks only while the socket opens.
     *
     * @throws org.sovereign.store.egress.EgressRefusedException when the address is not loopback and
     *                                                           {@code options} does not name it
     * @throws IOException                                       when the port cannot be bound (in use, say)
     */
    public static ApiServer start(UnlockedWorkspace workspace, Packs packs, Options options) throws IOException {
        if (System.getProperty(MAX_REQ_TIME_PROPERTY) == null) {
            // read once per JVM when the JDK server's configuration loads: drops requests still arriving after this
            System.setProperty(MAX_REQ_TIME_PROPERTY, Integer.toString(REQUEST_READ_SECONDS));
        }
        if (System.getProperty(NO_DELAY_PROPERTY) == null) {
            // read at the same time: without it each small event written while the previous one is unacknowledged
            // waits for the client's delayed acknowledgement (Nagle's algorithm), about 40 ms on Linux
            System.setProperty(NO_DELAY_PROPERTY, "true");
        }
        EgressRequest request = options.bindAddress() == null
                ? EgressRequest.listenOnLoopback(NetworkPurposes.SERVE, options.port())
                : EgressRequest.listen(NetworkPurposes.SERVE, options.bindAddress(), options.port(), options.chosen());
        HttpServer server = workspace.network().httpServer(request, 64);
        AtomicInteger count = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(options.threads(), r -> {
            Thread t = new Thread(r, "sovereign-api-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        ApiServer api = new ApiServer(workspace, packs, options, server, executor);
        server.createContext("/", api::handle);
        server.start();
        LOG.info("The local API listens on {}", SafeText.forLog(api.baseUrl()));
        return api;
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** E.g. {@code http://127.0.0.1:8765/v1}, what an OpenAI client takes as its base URL. */
    public String baseUrl() {
        InetSocketAddress a = address();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort() + "/v1";
    }

    /** The clients of this workspace's API. */
    public ApiClients clients() {
        return clients;
    }

    /**
     * Stops: refuses new calls, stops every running generation (open streams get their last event and
     * {@code data: [DONE]}, and each call its audit entry), waits up to a few seconds for them, then closes the socket.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopping = true;
        running.forEach(CancellationSignal::cancel);
        try {
            awaitExchanges(STOP_GRACE_SECONDS * 1000L);
            // every exchange has ended (or the grace is over): close the socket and any idle connection now
            server.stop(0);
        } finally {
            endpoints.close();
            executor.shutdown();
            try {
                if (!executor.awaitTermination(STOP_GRACE_SECONDS, TimeUnit.SECONDS)) {
                    executor.shutdownNow();
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        LOG.info("The local API stopped");
    }

    private synchronized void exchangeStarted() {
        inFlight++;
    }

    private synchronized void exchangeEnded() {
        inFlight--;
        notifyAll();
    }

    private synchronized void awaitExchanges(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        try {
            while (inFlight > 0) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    LOG.warn("The local API stops with {} calls unfinished", inFlight);
                    return;
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isStopping() {
        return stopping;
    }

    /** Registers a generation so that {@link #close()} can stop it; refuses when the server is stopping. */
    CancellationSignal startGeneration() {
        CancellationSignal signal = new CancellationSignal();
        running.add(signal);
        if (stopping) {
            running.remove(signal);
            throw stoppingError();
        }
        return signal;
    }

    void endGeneration(CancellationSignal signal) {
        running.remove(signal);
    }

    private static ApiError stoppingError() {
        return new ApiError(503, "server_error", "server_stopping", null, "The local API is stopping.");
    }

    // ---------------------------------------------------------------- routing

    private void handle(HttpExchange exchange) {
        exchangeStarted();
        try {
            respond(exchange);
        } finally {
            exchangeEnded();
        }
    }

    private void respond(HttpExchange exchange) {
        String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
        String path = exchange.getRequestURI().getPath();
        try {
            if (stopping) {
                throw stoppingError();
            }
            Route route = route(method, path);
            ApiClient client = authenticate(exchange);
            switch (route) {
                case MODELS -> endpoints.models(exchange, client, null);
                case MODEL -> endpoints.models(exchange, client, path.substring("/v1/models/".length()));
                case CHAT -> endpoints.chat(exchange, client, readJson(exchange));
                case EMBEDDINGS -> endpoints.embeddings(exchange, client, readJson(exchange));
                case ASK -> endpoints.ask(exchange, client, readJson(exchange));
            }
        } catch (ApiError e) {
            sendError(exchange, e);
        } catch (PackFailure e) {
            sendError(exchange, Endpoints.translate(e));
        } catch (UserFacingException e) {
            sendError(exchange, ApiError.badRequest(null, e.getMessage()));
        } catch (IOException e) {
            LOG.debug("A local API exchange ended early: {}", SafeText.forLog(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.warn("The local API failed on {} {}", SafeText.forLog(method), SafeText.forLog(path), e);
            sendError(exchange, new ApiError(500, "server_error", null, null,
                    "The workstation could not complete this request; its log has the details."));
        } finally {
            exchange.close();
        }
    }

    private enum Route { MODELS, MODEL, CHAT, EMBEDDINGS, ASK }

    private static Route route(String method, String path) {
        Route r = switch (path) {
            case "/v1/models" -> Route.MODELS;
            case "/v1/chat/completions" -> Route.CHAT;
            case "/v1/embeddings" -> Route.EMBEDDINGS;
            case "/v1/sovereign/ask" -> Route.ASK;
            default -> path.startsWith("/v1/models/") && path.length() > "/v1/models/".length() ? Route.MODEL : null;
        };
        if (r == null) {
            throw new ApiError(404, "invalid_request_error", "unknown_url", null,
                    "There is no endpoint " + method + " " + SafeText.forLog(path) + " in this API.");
        }
        String expected = r == Route.MODELS || r == Route.MODEL ? "GET" : "POST";
        if (!method.equals(expected)) {
            throw new ApiError(405, "invalid_request_error", "method_not_allowed", null,
                    path + " takes " + expected + ", not " + method + ".");
        }
        return r;
    }

    private ApiClient authenticate(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw ApiError.unauthorized("This API needs a client key: send it as 'Authorization: Bearer <key>'. "
                    + "Register the program on this workstation to get one.");
        }
        char[] key = header.substring(7).strip().toCharArray();
        try {
            Optional<ApiClient> client = clients.authenticate(key);
            return client.orElseThrow(() -> ApiError.unauthorized("This key belongs to no client of this workstation."));
        } finally {
            Arrays.fill(key, '\0');
        }
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        int max = options.maxBodyBytes();
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null) {
            long declared;
            try {
                declared = Long.parseLong(length.strip());
            } catch (NumberFormatException e) {
                throw ApiError.badRequest(null, "The Content-Length header is not a number.");
            }
            if (declared > max) {
                discard(exchange.getRequestBody());
                throw tooLarge(max);
            }
        }
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readNBytes(max + 1);
            if (body.length > max) {
                discard(in);
                throw tooLarge(max);
            }
        }
        if (body.length == 0) {
            throw ApiError.badRequest(null, "The request has no body; send a JSON object.");
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest(null, "The request body is not valid JSON (" + plainJsonProblem(e) + ").");
        }
    }

    /**
     * Reads and drops what is left of a refused body, up to {@link #DISCARD_LIMIT} bytes, so the client (still sending)
     * reads the error instead of a reset connection; past that the connection is simply closed.
     */
    private static void discard(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = DISCARD_LIMIT;
        int n;
        while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
            left -= n;
        }
    }

    private static String plainJsonProblem(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? "unreadable" : e.getOriginalMessage();
        int cut = m.indexOf('\n');
        m = cut >= 0 ? m.substring(0, cut) : m;
        if (e.getLocation() != null) {
            m += " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private static ApiError tooLarge(int max) {
        return new ApiError(413, "invalid_request_error", "request_too_large", null,
                "The request body is larger than this API accepts (" + max / 1024 + " KiB).");
    }

    // ---------------------------------------------------------------- responses

    static void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static ObjectNode errorBody(ApiError e) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return root;
    }

    private static void sendError(HttpExchange exchange, ApiError e) {
        if (exchange.getResponseCode() != -1) {
            return; // headers are out (a stream): the endpoint wrote its own error event
        }
        try {
            if (e.status() == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            sendJson(exchange, e.status(), errorBody(e));
        } catch (IOException gone) {
            LOG.debug("Could not send an error to a local API client: {}", SafeText.forLog(gone.getMessage()));
        }
    }

    static ArrayNode array() {
        return JSON.createArrayNode();
    }
}
