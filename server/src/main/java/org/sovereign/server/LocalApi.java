package org.sovereign.server;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.PackSummary;
import org.sovereign.core.packs.Packs;
import org.sovereign.store.egress.EgressRefusedException;

import java.io.IOException;
import java.net.BindException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The local API of one unlocked workspace, for a front end that keeps it running while it does other things (the
 * window): start and stop the server, what it is doing, and its clients. The clients are managed through the running
 * server's {@link ApiClients} while it runs, so a revocation takes effect on its next call. Closing it stops the
 * server; close it before the workspace locks. Thread-safe.
 */
public final class LocalApi implements AutoCloseable {

    /** Why the server could not start, as a plain sentence; {@link #portInUse()} when another program holds the port. */
    public static final class StartFailure extends UserFacingException {
        private final boolean portInUse;

        StartFailure(String message, boolean portInUse, Throwable cause) {
            super(message, cause);
            this.portInUse = portInUse;
        }

        /** Whether the port was taken (the person may choose another). */
        public boolean portInUse() {
            return portInUse;
        }
    }

    private final UnlockedWorkspace workspace;
    private final Packs packs;
    private final ApiClients idleClients;
    private ApiServer server;
    private boolean closed;

    public LocalApi(UnlockedWorkspace workspace, Packs packs) {
        this.workspace = workspace;
        this.packs = packs;
        this.idleClients = new ApiClients(workspace, Clock.systemUTC());
    }

    /**
     * Starts {@link ApiServer} on {@code workspace}, translating why it could not into a plain sentence.
     *
     * @throws StartFailure when the port is in use, the address may not be listened on, or the socket cannot open
     */
    public static ApiServer open(UnlockedWorkspace workspace, Packs packs, ApiServer.Options options) {
        try {
            return ApiServer.start(workspace, packs, options);
        } catch (BindException e) {
            throw new StartFailure("Port " + options.port() + " is in use by another program; choose another port.",
                    true, e);
        } catch (EgressRefusedException e) {
            throw new StartFailure(e.getMessage(), false, e);
        } catch (IOException e) {
            throw new StartFailure("The local API could not open its port " + options.port() + ": "
                    + (e.getMessage() == null ? "the system refused." : e.getMessage()), false, e);
        }
    }

    /**
     * Starts serving with {@code options} unless it already serves; returns its base URL (e.g.
     * {@code http://127.0.0.1:8765/v1}). Blocks only while the socket opens.
     *
     * @throws StartFailure        as {@link #open} does
     * @throws UserFacingException when it was closed (the vault locked)
     */
    public synchronized String start(ApiServer.Options options) {
        if (closed || workspace.isClosed()) {
            throw new UserFacingException("The vault is locked, so the local API cannot start.");
        }
        if (server == null) {
            server = open(workspace, packs, options);
        }
        return server.baseUrl();
    }

    /**
     * Stops serving (open streams get a clean end, each call its audit entry) and waits for it; nothing when stopped.
     */
    public synchronized void stop() {
        ApiServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }

    /** The base URL it serves on, empty while stopped. */
    public synchronized Optional<String> baseUrl() {
        return Optional.ofNullable(server).map(ApiServer::baseUrl);
    }

    /** The clients: those of the running server, or (stopped) the same ones read from the vault. */
    public synchronized ApiClients clients() {
        return server != null ? server.clients() : idleClients;
    }

    /** Every client ever registered with what its consent allows and whether it may call now, oldest first. */
    public List<ClientStatus> clientStatuses() {
        return ClientStatus.of(workspace.store(), clients().list(), Clock.systemUTC().instant());
    }

    /** The installed packs a client may be allowed (whole ones, as {@code GET /v1/models} lists them). */
    public List<ModelRuntime.PackRef> packs() {
        return usablePacks(packs);
    }

    /** The installed packs whose files are whole, as {@code GET /v1/models} offers them. */
    static List<ModelRuntime.PackRef> usablePacks(Packs packs) {
        List<ModelRuntime.PackRef> out = new ArrayList<>();
        for (PackSummary p : packs.catalog().list()) {
            if (!p.state().startsWith("files ok")) {
                continue;
            }
            try {
                out.add(packs.runtime().pack(p.id()));
            } catch (RuntimeException e) {
                // unreadable now: not offered
            }
        }
        return out;
    }

    /** Stops the server (if it runs) for good; {@link #start} refuses afterwards. Idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        stop();
    }
}
