package org.sovereign.store.egress;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Executor;

/**
 * The JDK's HTTP server as opened by the guard: every context counts the bytes of its exchanges, and stopping the
 * server writes the totals to the ledger.
 */
final class GuardedHttpServer extends HttpServer {
    private final HttpServer server;
    private final Tally tally;

    GuardedHttpServer(HttpServer server, Tally tally) {
        this.server = server;
        this.tally = tally;
    }

    @Override
    public void bind(InetSocketAddress address, int backlog) {
        throw new UnsupportedOperationException("The guard binds the server when it opens it.");
    }

    @Override
    public void start() {
        server.start();
    }

    @Override
    public void setExecutor(Executor executor) {
        server.setExecutor(executor);
    }

    @Override
    public Executor getExecutor() {
        return server.getExecutor();
    }

    @Override
    public void stop(int delaySeconds) {
        try {
            server.stop(delaySeconds);
        } finally {
            tally.close();
        }
    }

    @Override
    public HttpContext createContext(String path, HttpHandler handler) {
        return counted(server.createContext(path, handler));
    }

    @Override
    public HttpContext createContext(String path) {
        return counted(server.createContext(path));
    }

    @Override
    public void removeContext(String path) {
        server.removeContext(path);
    }

    @Override
    public void removeContext(HttpContext context) {
        server.removeContext(context);
    }

    @Override
    public InetSocketAddress getAddress() {
        return server.getAddress();
    }

    private HttpContext counted(HttpContext context) {
        context.getFilters().add(0, new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                exchange.setStreams(tally.counting(exchange.getRequestBody()), tally.counting(exchange.getResponseBody()));
                chain.doFilter(exchange);
            }

            @Override
            public String description() {
                return "counts the bytes of each exchange for the egress ledger";
            }
        });
        return context;
    }
}
