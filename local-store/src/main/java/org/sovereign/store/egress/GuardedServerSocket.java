package org.sovereign.store.egress;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.LinkedHashMap;
import java.util.Map;

/** A listening socket opened by the guard: every accepted connection is recorded and counted. */
final class GuardedServerSocket extends java.net.ServerSocket {
    private final EgressLedger ledger;
    private final Map<String, String> refs;
    private final Tally listening;

    GuardedServerSocket(EgressLedger ledger, Map<String, String> refs) throws IOException {
        super();
        this.ledger = ledger;
        this.refs = Map.copyOf(refs);
        this.listening = new Tally(ledger, refs);
    }

    @Override
    public Socket accept() throws IOException {
        if (isClosed()) {
            throw new SocketException("Socket is closed");
        }
        CountedSocket socket = new CountedSocket();
        implAccept(socket);
        Map<String, String> entry = new LinkedHashMap<>(refs);
        entry.put("peer", socket.getInetAddress().getHostAddress() + ":" + socket.getPort());
        try {
            ledger.record(EgressLedger.ACCEPTED, entry);
        } catch (RuntimeException e) {
            socket.close();
            throw new IOException("Could not record an incoming connection in the audit log, so it was closed.", e);
        }
        socket.attach(new Tally(ledger, entry));
        return socket;
    }

    @Override
    public void close() throws IOException {
        try {
            super.close();
        } finally {
            listening.close();
        }
    }
}
