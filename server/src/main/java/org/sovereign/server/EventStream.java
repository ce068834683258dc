package org.sovereign.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Server-sent events on one exchange, as the OpenAI API streams: {@code data: <json>} per event, then
 * {@code data: [DONE]}. A write that fails (the client went away) marks the stream failed; later writes are skipped,
 * so the caller can stop its generation. Used by one thread at a time.
 */
final class EventStream {

    private final OutputStream out;
    private volatile boolean failed;

    private EventStream(OutputStream out) {
        this.out = out;
    }

    /** Sends the 200 status and the event-stream headers (chunked, no length). */
    static EventStream open(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.getResponseHeaders().set("X-Accel-Buffering", "no");
        exchange.sendResponseHeaders(200, 0);
        return new EventStream(exchange.getResponseBody());
    }

    /** Sends one event; false (and the stream is failed) when the client is gone. */
    boolean send(String json) {
        return write("data: " + json + "\n\n");
    }

    /** The end of the stream, {@code data: [DONE]}. */
    boolean done() {
        return write("data: [DONE]\n\n");
    }

    boolean failed() {
        return failed;
    }

    private boolean write(String event) {
        if (failed) {
            return false;
        }
        try {
            out.write(event.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException | RuntimeException e) {
            failed = true;
            return false;
        }
    }
}
