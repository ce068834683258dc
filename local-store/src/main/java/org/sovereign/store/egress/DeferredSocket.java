package org.sovereign.store.egress;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.function.Function;

/**
 * A socket that libraries create first and connect later (JGroups does): nothing is opened until {@link #connect},
 * which asks the guard for the request built from the destination and then delegates everything to the guard's
 * counted socket. Options set before connecting are remembered and applied then.
 */
final class DeferredSocket extends Socket {
    /** How long a connect with no timeout (0) waits at most. */
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final EgressGuard guard;
    private final Function<InetSocketAddress, EgressRequest> requestFor;
    private InetSocketAddress localAddress;
    private volatile Socket delegate;
    private volatile boolean closed;
    private Boolean tcpNoDelay;
    private Boolean keepAlive;
    private Integer soLingerSeconds;
    private int soTimeout;
    private Integer sendBufferSize;
    private Integer receiveBufferSize;

    DeferredSocket(EgressGuard guard, Function<InetSocketAddress, EgressRequest> requestFor) {
        super();
        this.guard = guard;
        this.requestFor = requestFor;
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
        if (delegate != null) {
            throw new SocketException("Already connected");
        }
        localAddress = (InetSocketAddress) bindpoint;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
        connect(endpoint, 0);
    }

    @Override
    public synchronized void connect(SocketAddress endpoint, int timeout) throws IOException {
        if (closed) {
            throw new SocketException("Socket is closed");
        }
        if (delegate != null) {
            throw new SocketException("Already connected");
        }
        if (!(endpoint instanceof InetSocketAddress destination)) {
            throw new IllegalArgumentException("Only internet addresses can be connected to.");
        }
        EgressRequest request = requestFor.apply(destination);
        Socket socket = guard.connect(request, localAddress, timeout > 0 ? Duration.ofMillis(timeout) : DEFAULT_TIMEOUT);
        try {
            if (tcpNoDelay != null) {
                socket.setTcpNoDelay(tcpNoDelay);
            }
            if (keepAlive != null) {
                socket.setKeepAlive(keepAlive);
            }
            if (soLingerSeconds != null) {
                socket.setSoLinger(soLingerSeconds >= 0, Math.max(0, soLingerSeconds));
            }
            if (sendBufferSize != null) {
                socket.setSendBufferSize(sendBufferSize);
            }
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

    private Socket connected() throws SocketException {
        Socket socket = delegate;
        if (socket == null) {
            throw new SocketException(closed ? "Socket is closed" : "Socket is not connected");
        }
        return socket;
    }

    @Override
    public InputStream getInputStream() throws IOException {
        return connected().getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
        return connected().getOutputStream();
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        try {
            Socket socket = delegate;
            if (socket != null) {
                socket.close();
            }
        } finally {
            super.close();
        }
    }

    @Override
    public boolean isConnected() {
        Socket socket = delegate;
        return socket != null && socket.isConnected();
    }

    @Override
    public boolean isBound() {
        Socket socket = delegate;
        return socket != null ? socket.isBound() : localAddress != null;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isInputShutdown() {
        Socket socket = delegate;
        return socket != null && socket.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
        Socket socket = delegate;
        return socket != null && socket.isOutputShutdown();
    }

    @Override
    public void shutdownInput() throws IOException {
        connected().shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        connected().shutdownOutput();
    }

    @Override
    public InetAddress getInetAddress() {
        Socket socket = delegate;
        return socket == null ? null : socket.getInetAddress();
    }

    @Override
    public int getPort() {
        Socket socket = delegate;
        return socket == null ? 0 : socket.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        Socket socket = delegate;
        if (socket != null) {
            return socket.getLocalAddress();
        }
        return localAddress == null ? null : localAddress.getAddress();
    }

    @Override
    public int getLocalPort() {
        Socket socket = delegate;
        return socket == null ? -1 : socket.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        Socket socket = delegate;
        return socket == null ? null : socket.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        Socket socket = delegate;
        return socket == null ? null : socket.getLocalSocketAddress();
    }

    @Override
    public synchronized void setTcpNoDelay(boolean on) throws SocketException {
        tcpNoDelay = on;
        if (delegate != null) {
            delegate.setTcpNoDelay(on);
        }
    }

    @Override
    public synchronized boolean getTcpNoDelay() throws SocketException {
        return delegate != null ? delegate.getTcpNoDelay() : Boolean.TRUE.equals(tcpNoDelay);
    }

    @Override
    public synchronized void setKeepAlive(boolean on) throws SocketException {
        keepAlive = on;
        if (delegate != null) {
            delegate.setKeepAlive(on);
        }
    }

    @Override
    public synchronized boolean getKeepAlive() throws SocketException {
        return delegate != null ? delegate.getKeepAlive() : Boolean.TRUE.equals(keepAlive);
    }

    @Override
    public synchronized void setSoLinger(boolean on, int linger) throws SocketException {
        soLingerSeconds = on ? linger : -1;
        if (delegate != null) {
            delegate.setSoLinger(on, linger);
        }
    }

    @Override
    public synchronized int getSoLinger() throws SocketException {
        return delegate != null ? delegate.getSoLinger() : soLingerSeconds == null ? -1 : soLingerSeconds;
    }

    @Override
    public synchronized void setSoTimeout(int timeout) throws SocketException {
        soTimeout = timeout;
        if (delegate != null) {
            delegate.setSoTimeout(timeout);
        }
    }

    @Override
    public synchronized int getSoTimeout() throws SocketException {
        return delegate != null ? delegate.getSoTimeout() : soTimeout;
    }

    @Override
    public synchronized void setSendBufferSize(int size) throws SocketException {
        sendBufferSize = size;
        if (delegate != null) {
            delegate.setSendBufferSize(size);
        }
    }

    @Override
    public synchronized int getSendBufferSize() throws SocketException {
        return delegate != null ? delegate.getSendBufferSize() : sendBufferSize == null ? 0 : sendBufferSize;
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
        Socket socket = delegate;
        return socket != null ? socket.toString() : "Socket[unconnected]";
    }
}
