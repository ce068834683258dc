package org.sovereign.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A model hub on 127.0.0.1 that serves one folder as one repository the way the Hugging Face Hub's HTTP API does:
 * {@code /api/models/REPO/revision/REV} (the commit), {@code /api/models/REPO/tree/COMMIT?recursive=true} (files with
 * size, git blob id and, for large files, {@code lfs.oid} = SHA-256; paged with {@code Link: rel="next"}),
 * {@code /REPO/resolve/COMMIT/PATH}: large files redirect (302) to a "CDN" on the other name of this machine,
 * {@code localhost}, which honours Range requests; small files redirect (307, relative) to a cache path on the hub.
 * Faults on demand: a file served with one byte changed, a file whose connection drops halfway. Every request is
 * logged. Opened through an {@link EgressGuard} that allows it (loopback only). Close it to stop it.
 */
public final class FakeHub implements AutoCloseable {

    /** The commit every revision resolves to. */
    public static final String COMMIT = "5f1c0de5eed5f1c0de5eed5f1c0de5eed5f1c0de";
    /** The host name the hub answers as. */
    public static final String HUB_HOST = "127.0.0.1";
    /** The host name large files are redirected to. */
    public static final String CDN_HOST = "localhost";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String repo;
    private final Map<String, Path> files = new TreeMap<>();
    private final Map<String, String> sha256 = new ConcurrentHashMap<>();
    private final HttpServer server;
    // enough threads that requests stalled on purpose (each holds one until close) do not queue the others
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Boolean> corrupt = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> drops = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> stalls = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile int pageSize = 4;

    /** Serves {@code folder} (every file under it) as the repository {@code repo}, e.g. {@code test-org/tiny-llama}. */
    public FakeHub(Path folder, String repo) throws IOException {
        this.repo = repo;
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = folder.relativize(p).toString().replace('\\', '/');
                files.put(rel, p);
                if (large(rel)) {
                    sha256.put(rel, hex("SHA-256", Files.readAllBytes(p), null));
                }
            }
        }
        EgressGuard guard = new EgressGuard(request -> "test", (type, refs) -> { });
        server = guard.httpServer(EgressRequest.listenOnLoopback("test-hub", 0), 8);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public URI url() {
        return URI.create("http://" + HUB_HOST + ":" + server.getAddress().getPort());
    }

    /** Serves {@code path} with one byte changed (its listing stays right). */
    public void corrupt(String path) {
        corrupt.put(path, true);
    }

    /** The next {@code times} downloads of {@code path} send half of what they announce, then close the connection. */
    public void dropHalfway(String path, int times) {
        drops.put(path, new AtomicInteger(times));
    }

    /**
     * The next {@code times} downloads of {@code path} send half of what they announce, then send nothing more and
     * keep the connection open until this hub is closed (at most 60 seconds), as a stuck server does.
     */
    public void stallHalfway(String path, int times) {
        stalls.put(path, new AtomicInteger(times));
    }

    /** How many entries one page of the file list holds (default 4, so listings are paged). */
    public void pageSize(int entries) {
        this.pageSize = entries;
    }

    /** Every request so far: {@code HOST METHOD PATH[?QUERY] [Range: ...]}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    /** The SHA-256 the listing gives for a large file. */
    public String sha256(String path) {
        return sha256.get(path);
    }

    private static boolean large(String path) {
        return path.endsWith(".onnx") || path.endsWith(".bin") || path.contains(".onnx_data");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI uri = exchange.getRequestURI();
            String host = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
            String range = exchange.getRequestHeaders().getFirst("Range");
            requests.add(host + " " + exchange.getRequestMethod() + " " + uri.getRawPath()
                    + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "") + (range != null ? " Range: " + range : ""));
            String path = uri.getPath();
            boolean onCdn = host.startsWith(CDN_HOST + ":");
            if (onCdn && path.startsWith("/cdn/")) {
                String file = sha256.entrySet().stream().filter(e -> e.getValue().equals(path.substring(5)))
                        .map(Map.Entry::getKey).findFirst().orElse(null);
                if (file == null) {
                    send(exchange, 404, "not found");
                } else {
                    serveFile(exchange, file, range);
                }
                return;
            }
            if (onCdn) {
                send(exchange, 404, "the CDN serves files only");
                return;
            }
            String api = "/api/models/" + repo + "/";
            if (path.startsWith(api + "revision/")) {
                String rev = path.substring((api + "revision/").length());
                if (!rev.equals("main") && !rev.equals(COMMIT)) {
                    send(exchange, 404, "{\"error\":\"Invalid rev id: " + rev + "\"}");
                    return;
                }
                ObjectNode info = JSON.createObjectNode().put("id", repo).put("sha", COMMIT);
                ArrayNode siblings = info.putArray("siblings");
                files.keySet().forEach(f -> siblings.addObject().put("rfilename", f));
                sendJson(exchange, info, null);
            } else if (path.startsWith(api + "tree/" + COMMIT)) {
                listing(exchange, uri);
            } else if (path.startsWith("/" + repo + "/resolve/" + COMMIT + "/")) {
                String file = path.substring(("/" + repo + "/resolve/" + COMMIT + "/").length());
                if (!files.containsKey(file)) {
                    exchange.getResponseHeaders().add("X-Error-Code", "EntryNotFound");
                    send(exchange, 404, "Entry not found");
                } else if (sha256.containsKey(file)) {
                    exchange.getResponseHeaders().add("Location", "http://" + CDN_HOST + ":"
                            + server.getAddress().getPort() + "/cdn/" + sha256.get(file) + "?expires=1999999999&sig=x");
                    exchange.sendResponseHeaders(302, -1);
                } else {
                    exchange.getResponseHeaders().add("Location", "/api/resolve-cache/models/" + repo + "/" + COMMIT
                            + "/" + file);
                    exchange.sendResponseHeaders(307, -1);
                }
            } else if (path.startsWith("/api/resolve-cache/models/" + repo + "/" + COMMIT + "/")) {
                String file = path.substring(("/api/resolve-cache/models/" + repo + "/" + COMMIT + "/").length());
                if (files.containsKey(file)) {
                    serveFile(exchange, file, range);
                } else {
                    send(exchange, 404, "Entry not found");
                }
            } else {
                send(exchange, 404, "Repository not found");
            }
        } catch (IOException | RuntimeException e) {
            // a dropped connection on purpose, or a client that went away
        }
    }

    private void listing(HttpExchange exchange, URI uri) throws IOException {
        List<ObjectNode> entries = new ArrayList<>();
        java.util.Set<String> dirs = new java.util.TreeSet<>();
        for (String f : files.keySet()) {
            for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) {
                dirs.add(f.substring(0, i));
            }
        }
        for (String d : dirs) {
            entries.add(JSON.createObjectNode().put("type", "directory").put("oid", hex("SHA-1", d.getBytes(
                    StandardCharsets.UTF_8), null)).put("size", 0).put("path", d));
        }
        for (Map.Entry<String, Path> f : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(f.getValue());
            ObjectNode e = JSON.createObjectNode().put("type", "file");
            if (sha256.containsKey(f.getKey())) {
                String pointer = "version https://git-lfs.github.com/spec/v1\noid sha256:" + sha256.get(f.getKey())
                        + "\nsize " + bytes.length + "\n";
                byte[] p = pointer.getBytes(StandardCharsets.UTF_8);
                e.put("oid", hex("SHA-1", p, "blob " + p.length + "\0")).put("size", bytes.length).put("path", f.getKey());
                e.putObject("lfs").put("oid", sha256.get(f.getKey())).put("size", bytes.length).put("pointerSize", p.length);
            } else {
                e.put("oid", hex("SHA-1", bytes, "blob " + bytes.length + "\0")).put("size", bytes.length)
                        .put("path", f.getKey());
            }
            entries.add(e);
        }
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        int cursor = 0;
        for (String part : query.split("&")) {
            if (part.startsWith("cursor=")) {
                cursor = Integer.parseInt(part.substring("cursor=".length()));
            }
        }
        int end = Math.min(entries.size(), cursor + pageSize);
        ArrayNode page = JSON.createArrayNode();
        entries.subList(cursor, end).forEach(page::add);
        String next = end < entries.size() ? "<" + url() + uri.getRawPath() + "?recursive=true&cursor=" + end
                + ">; rel=\"next\"" : null;
        sendJson(exchange, page, next);
    }

    private void serveFile(HttpExchange exchange, String file, String range) throws IOException {
        byte[] bytes = Files.readAllBytes(files.get(file));
        if (corrupt.containsKey(file)) {
            bytes[bytes.length / 2] ^= 0x5a;
        }
        int start = 0;
        if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
            start = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (start >= bytes.length) {
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + bytes.length);
                exchange.sendResponseHeaders(416, -1);
                return;
            }
            exchange.getResponseHeaders().add("Content-Range", "bytes " + start + "-" + (bytes.length - 1) + "/"
                    + bytes.length);
        }
        exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
        int length = bytes.length - start;
        exchange.sendResponseHeaders(range != null ? 206 : 200, length);
        AtomicInteger drop = drops.get(file);
        OutputStream out = exchange.getResponseBody();
        if (drop != null && drop.getAndDecrement() > 0) {
            out.write(bytes, start, length / 2);
            out.flush();
            // fewer bytes than announced: closing the exchange now drops the connection
            throw new IOException("dropped on purpose");
        }
        AtomicInteger stall = stalls.get(file);
        if (stall != null && stall.getAndDecrement() > 0) {
            out.write(bytes, start, length / 2);
            out.flush();
            try {
                closed.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("stalled on purpose");
        }
        out.write(bytes, start, length);
    }

    private static void sendJson(HttpExchange exchange, Object body, String link) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (link != null) {
            exchange.getResponseHeaders().add("Link", link);
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void send(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String hex(String algorithm, byte[] bytes, String header) {
        try {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            if (header != null) {
                d.update(header.getBytes(StandardCharsets.US_ASCII));
            }
            return HexFormat.of().formatHex(d.digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** For tests that need a file's bytes as served. */
    public byte[] bytes(String path) {
        try {
            return Files.readAllBytes(files.get(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
