package org.sovereign.store.egress;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.util.function.Function;

/**
 * A listening socket that libraries create first and bind later (JGroups does): nothing is opened until {@link #bind},
 * which asks the guard for the request built from the bind address and then delegates to the guard's listener, whose
 * accepted connections are recorded and counted.
 */
final class DeferredServerSocket extends ServerSocket {
    private static final int DEFAULT_BACKLOG = 50;

    private final EgressGuard guard;
    private final Function<InetSocketAddress, EgressRequest> requestFor;
    private volatile ServerSocket delegate;
    private volatile boolean closed;
    private Integer receiveBufferSize;
    private int soTimeout;

    DeferredServerSocket(EgressGuard guard, Function<InetSocketAddress, EgressRequest> requestFor) throws IOException {
        super();
        this.guard = guard;
        this.requestFor = requestFor;
    }

    @Override
    public void bind(SocketAddress endpoint) throws IOException {
        bind(endpoint, DEFAULT_BACKLOG);
    }

    @Override
    public synchronized void bind(SocketAddress endpoint, int backlog) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (delegate != null) {
            throw new SocketException("Already bound");
        }
        InetSocketAddress address = endpoint == null ? new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)
                : (InetSocketAddress) endpoint;
        ServerSocket socket = guard.listen(requestFor.apply(address), backlog > 0 ? backlog : DEFAULT_BACKLOG);
        try {
            if (receiveBufferSize != null) {
                socket.setReceiveBufferSize(receiveBufferSize);
            }
            socket.setSoTimeout(soTimeout);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        delegate = socket;
    }

    private ServerSocket bound() throws SocketException {
        ServerSocket socket = delegate;
        if (socket == null) {
            throw new SocketException(closed ? "Socket is closed" : "Socket is not bound yet");
        }
        return socket;
    }

    @Override
    public Socket accept() throws IOException {
        return bound().accept();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            ServerSocket socket = delegate;
            if (socket != null) {
                socket.close();
            }
        } finally {
            super.close();
        }
    }

    @Override
    public boolean isBound() {
        return delegate != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public InetAddress getInetAddress() {
        ServerSocket socket = delegate;
        return socket == null ? null : socket.getInetAddress();
    }

    @Override
    public int getLocalPort() {
        ServerSocket socket = delegate;
        return socket == null ? -1 : socket.getLocalPort();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        ServerSocket socket = delegate;
        return socket == null ? null : socket.getLocalSocketAddress();
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        if (delegate != null) {
            delegate.setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() throws IOException {
        return delegate != null ? delegate.getSoTimeout() : soTimeout;
    }

    @Override
    public synchronized void setReceiveBufferSize(int size) throws SocketException {
        receiveBufferSize = size;
        if (delegate != null) {
            delegate.setReceiveBufferSize(size);
        }
    }

    @Override
    public synchronized int getReceiveBufferSize() throws SocketException {
        return delegate != null ? delegate.getReceiveBufferSize() : receiveBufferSize == null ? 0 : receiveBufferSize;
    }

    @Override
    public String toString() {
        ServerSocket socket = delegate;
        return socket != null ? socket.toString() : "ServerSocket[unbound]";
    }
}
