package org.sovereign.core.packs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP GETs to a model hub, every one through the workspace's {@link EgressGuard} (ADR-0010): redirects are followed
 * here, a bounded number of hops, and each hop's host is checked by the guard under the consent that names it.
 * Downloads append to a partial file and resume it with a Range request. A response whose body stops arriving for
 * longer than the idle timeout is closed and reported as {@link Stalled} (the request timeout only covers the wait
 * for the headers). Not thread-safe; blocks.
 */
final class HubClient {

    static final int MAX_REDIRECTS = 5;
    private static final int BUFFER = 64 * 1024;
    private static final long MAX_JSON_BYTES = 32L * 1024 * 1024;
    private static final Pattern NEXT_LINK = Pattern.compile("<([^>]+)>\\s*;\\s*rel=\"?next\"?");
    private static final Pattern CONTENT_RANGE_START = Pattern.compile("bytes\\s+(\\d+)-");

    private final EgressGuard guard;
    private final Function<String, String> consentFor;
    private final Duration timeout;
    private final Duration idle;
    private final ObjectMapper json = new ObjectMapper();

    /**
     * @param consentFor the id of a live consent naming a host, or null when there is none (the guard then refuses
     *                   and records the refusal)
     * @param timeout    for connecting and for the answer's headers
     * @param idle       the longest wait for the next bytes of an answer's body
     */
    HubClient(EgressGuard guard, Function<String, String> consentFor, Duration timeout, Duration idle) {
        if (idle.isNegative() || idle.isZero()) {
            throw new IllegalArgumentException("idle timeout must be positive");
        }
        this.guard = guard;
        this.consentFor = consentFor;
        this.timeout = timeout;
        this.idle = idle;
    }

    /** One page of a JSON answer and the next page's address (from a {@code Link: <...>; rel="next"} header). */
    record Page(JsonNode body, Optional<URI> next) {
    }

    /** GETs a JSON document; a status other than 200 is a {@link HubStatusException}. */
    Page json(URI uri) throws IOException, InterruptedException {
        try (Response r = open(uri, Map.of("Accept", "application/json"));
             InputStream in = new IdleTimeoutStream(r.get.body(), idle)) {
            if (r.get.status() != 200) {
                throw new HubStatusException(r.get.status(), r.uri);
            }
            byte[] body = in.readNBytes((int) MAX_JSON_BYTES + 1);
            if (body.length > MAX_JSON_BYTES) {
                throw new UserFacingException("The hub's answer from " + r.uri.getHost() + " is larger than "
                        + MAX_JSON_BYTES / (1024 * 1024) + " MiB; it was not read.");
            }
            JsonNode node;
            try {
                node = json.readTree(body);
            } catch (IOException e) {
                throw new UserFacingException("The hub's answer from " + r.uri.getHost() + " is not valid JSON.", e);
            }
            Optional<URI> next = r.get.headers().allValues("Link").stream()
                    .map(NEXT_LINK::matcher).filter(Matcher::find).map(m -> r.uri.resolve(m.group(1))).findFirst();
            return new Page(node, next);
        }
    }

    /**
     * Brings {@code part} up to {@code size} bytes from {@code uri}: resumes from its current length with a Range
     * request (starting over when the server ignores the range), never writes beyond {@code size}.
     *
     * @return the bytes received in this call
     * @throws IOException            when the connection fails or ends early (what arrived stays in {@code part})
     * @throws CancellationException  when {@code progress} is cancelled (what arrived stays in {@code part})
     */
    long download(URI uri, Path part, long size, Progress progress, long doneBefore, long grandTotal, String label)
            throws IOException, InterruptedException {
        long have = Files.exists(part) ? Files.size(part) : 0;
        if (have > size) {
            Files.delete(part);
            have = 0;
        }
        if (have == size) {
            return 0;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept-Encoding", "identity");
        if (have > 0) {
            headers.put("Range", "bytes=" + have + "-");
        }
        try (Response r = open(uri, headers)) {
            int status = r.get.status();
            boolean append;
            if (status == 206 && have > 0) {
                long start = r.get.headers().firstValue("Content-Range").map(CONTENT_RANGE_START::matcher)
                        .filter(Matcher::find).map(m -> Long.parseLong(m.group(1))).orElse(-1L);
                if (start != have) {
                    throw new IOException("the server answered a different range than asked for");
                }
                append = true;
            } else if (status == 200) {
                append = false;
                have = 0;
            } else if (status == 416 && have > 0) {
                // the partial file does not match what the server has: start over on the next attempt
                Files.delete(part);
                throw new IOException("the server refused to resume");
            } else {
                throw new HubStatusException(status, r.uri);
            }
            long received = 0;
            try (OutputStream out = Files.newOutputStream(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                 InputStream in = new IdleTimeoutStream(r.get.body(), idle)) {
                byte[] buffer = new byte[BUFFER];
                long remaining = size - have;
                while (remaining > 0) {
                    if (progress.isCancelled()) {
                        throw new CancellationException("Download cancelled");
                    }
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (n < 0) {
                        break;
                    }
                    out.write(buffer, 0, n);
                    remaining -= n;
                    received += n;
                    progress.update(Math.min(grandTotal, doneBefore + have + received), grandTotal,
                            "Downloading " + label + ": " + MemoryFit.size(have + received) + " of " + MemoryFit.size(size));
                }
                if (remaining > 0) {
                    throw new IOException("the connection ended after " + (have + received) + " of " + size + " bytes");
                }
            }
            return received;
        }
    }

    /** An open response after redirects, with the address that answered. */
    private record Response(EgressGuard.HttpGet get, URI uri) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            get.close();
        }
    }

    private Response open(URI start, Map<String, String> headers) throws IOException, InterruptedException {
        URI uri = start;
        for (int hop = 0; ; hop++) {
            int port = uri.getPort() >= 0 ? uri.getPort()
                    : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
            String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
            EgressRequest request = EgressRequest.connect(NetworkPurposes.PACK_FETCH, host, port, consentFor.apply(host));
            EgressGuard.HttpGet get;
            try {
                get = guard.get(request, uri, headers, timeout);
            } catch (EgressRefusedException e) {
                throw new HostNotConsented(host, e.getMessage(), hop > 0);
            }
            int status = get.status();
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                Optional<String> location = get.headers().firstValue("Location");
                get.close();
                if (location.isEmpty()) {
                    throw new HubStatusException(status, uri);
                }
                if (hop + 1 > MAX_REDIRECTS) {
                    throw new UserFacingException("The hub redirected the download more than " + MAX_REDIRECTS
                            + " times; it was stopped.");
                }
                URI next = uri.resolve(location.get());
                if ("https".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                    throw new UserFacingException("The hub redirected the download from an encrypted address to an "
                            + "unencrypted one (" + next.getHost() + "); it was not followed.");
                }
                uri = next;
                continue;
            }
            return new Response(get, uri);
        }
    }

    /** No byte of an answer's body arrived for the idle timeout; the connection was closed. */
    static final class Stalled extends IOException {
        Stalled(Duration idle) {
            super("no data arrived for " + (idle.toMillis() % 1000 != 0 ? idle.toMillis() + " milliseconds"
                    : idle.toSeconds() == 1 ? "1 second" : idle.toSeconds() + " seconds"));
        }
    }

    /**
     * A body that is closed when no byte arrives for {@code idle}: a watchdog thread checks the time of the last read
     * and closes the underlying stream, which ends a read blocked on a silent server; that read (and every later one)
     * then throws {@link Stalled}.
     */
    private static final class IdleTimeoutStream extends FilterInputStream {
        private final Duration idle;
        private final ScheduledExecutorService watchdog;
        private volatile long lastActivity = System.nanoTime();
        private volatile boolean stalled;

        IdleTimeoutStream(InputStream in, Duration idle) {
            super(in);
            this.idle = idle;
            this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hub-download-idle-watch");
                t.setDaemon(true);
                return t;
            });
            long period = Math.max(1, idle.toMillis() / 4);
            watchdog.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
        }

        private void check() {
            if (System.nanoTime() - lastActivity >= idle.toNanos()) {
                stalled = true;
                try {
                    in.close();
                } catch (IOException | RuntimeException e) {
                    // closing is all that is wanted; the reader reports the stall
                }
                watchdog.shutdown();
            }
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = in.read(b, off, len);
            } catch (IOException e) {
                if (stalled) {
                    throw new Stalled(idle);
                }
                throw e;
            }
            if (stalled) {
                throw new Stalled(idle);
            }
            lastActivity = System.nanoTime();
            return n;
        }

        @Override
        public void close() throws IOException {
            watchdog.shutdownNow();
            super.close();
        }
    }

    /** The hub answered with a status that is neither success nor a redirect. */
    static final class HubStatusException extends IOException {
        final int status;
        final transient URI uri;

        HubStatusException(int status, URI uri) {
            super("HTTP " + status + " from " + uri.getHost());
            this.status = status;
            this.uri = uri;
        }
    }

    /** The guard refused a host (no live consent names it); nothing was sent to it. */
    static final class HostNotConsented extends RuntimeException {
        final String host;
        final boolean redirected;

        HostNotConsented(String host, String reason, boolean redirected) {
            super(reason);
            this.host = host;
            this.redirected = redirected;
        }
    }
}
