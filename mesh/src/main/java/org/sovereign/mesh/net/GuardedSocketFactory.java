package org.sovereign.mesh.net;

import org.jgroups.util.SocketFactory;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressRequest;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.MulticastSocket;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * JGroups' sockets, opened by the egress guard (ADR-0010): every outgoing connection asks the policy under purpose
 * {@value #PURPOSE} and the share consent, every listener is checked (loopback unless the person chose another
 * address), and both are written to the audit log with their byte counts. No UDP, multicast or NIO channel is ever
 * opened: asking for one fails.
 */
public final class GuardedSocketFactory implements SocketFactory {
    /** The egress purpose of the mesh (core's {@code NetworkPurposes.MESH}). */
    public static final String PURPOSE = "mesh";

    private final EgressGuard guard;
    private final Supplier<String> consentId;
    private final InetAddress bindAddress;
    private final boolean beyondLoopback;

    /**
     * @param guard          the guard that opens every socket
     * @param consentId      the share consent outgoing connections rely on (asked at each connection, so a withdrawn
     *                       or replaced consent is seen at once); may supply {@code null} when there is none
     * @param bindAddress    where to listen when JGroups names no address
     * @param beyondLoopback the person chose to accept connections from other machines
     */
    public GuardedSocketFactory(EgressGuard guard, Supplier<String> consentId, InetAddress bindAddress,
                                boolean beyondLoopback) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.consentId = Objects.requireNonNull(consentId, "consentId");
        this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
        this.beyondLoopback = beyondLoopback;
    }

    private static String host(InetSocketAddress address) {
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }

    @Override
    public Socket createSocket(String serviceName) {
        return guard.unconnectedSocket(destination -> EgressRequest.connect(PURPOSE, host(destination),
                destination.getPort(), consentId.get()));
    }

    @Override
    public Socket createSocket(String serviceName, String host, int port) throws IOException {
        return connected(serviceName, new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String serviceName, InetAddress host, int port) throws IOException {
        return connected(serviceName, new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String serviceName, String host, int port, InetAddress localAddr, int localPort)
            throws IOException {
        return connected(serviceName, new InetSocketAddress(host, port), new InetSocketAddress(localAddr, localPort));
    }

    @Override
    public Socket createSocket(String serviceName, InetAddress host, int port, InetAddress localAddr, int localPort)
            throws IOException {
        return connected(serviceName, new InetSocketAddress(host, port), new InetSocketAddress(localAddr, localPort));
    }

    private Socket connected(String serviceName, InetSocketAddress destination, SocketAddress local) throws IOException {
        Socket socket = createSocket(serviceName);
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(destination);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public ServerSocket createServerSocket(String serviceName) throws IOException {
        return guard.unboundServerSocket(address -> EgressRequest.listen(PURPOSE, host(address), address.getPort(),
                beyondLoopback));
    }

    @Override
    public ServerSocket createServerSocket(String serviceName, int port) throws IOException {
        return createServerSocket(serviceName, port, 50, bindAddress);
    }

    @Override
    public ServerSocket createServerSocket(String serviceName, int port, int backlog) throws IOException {
        return createServerSocket(serviceName, port, backlog, bindAddress);
    }

    @Override
    public ServerSocket createServerSocket(String serviceName, int port, int backlog, InetAddress bindAddr)
            throws IOException {
        ServerSocket socket = createServerSocket(serviceName);
        try {
            socket.bind(new InetSocketAddress(bindAddr == null ? bindAddress : bindAddr, port), backlog);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static IOException noChannels() {
        return new IOException("The mesh opens its sockets only through the egress guard, which does not hand out "
                + "NIO channels.");
    }

    @Override
    public SocketChannel createSocketChannel(String serviceName) throws IOException {
        throw noChannels();
    }

    @Override
    public SocketChannel createSocketChannel(String serviceName, SocketAddress bindAddr) throws IOException {
        throw noChannels();
    }

    @Override
    public ServerSocketChannel createServerSocketChannel(String serviceName) throws IOException {
        throw noChannels();
    }

    @Override
    public ServerSocketChannel createServerSocketChannel(String serviceName, int port) throws IOException {
        throw noChannels();
    }

    @Override
    public ServerSocketChannel createServerSocketChannel(String serviceName, int port, int backlog) throws IOException {
        throw noChannels();
    }

    @Override
    public ServerSocketChannel createServerSocketChannel(String serviceName, int port, int backlog, InetAddress bindAddr)
            throws IOException {
        throw noChannels();
    }

    private static SocketException noUdp() {
        return new SocketException("The mesh uses TCP only: no UDP and no multicast.");
    }

    @Override
    public DatagramSocket createDatagramSocket(String serviceName) throws SocketException {
        throw noUdp();
    }

    @Override
    public DatagramSocket createDatagramSocket(String serviceName, SocketAddress bindAddr) throws SocketException {
        throw noUdp();
    }

    @Override
    public DatagramSocket createDatagramSocket(String serviceName, int port) throws SocketException {
        throw noUdp();
    }

    @Override
    public DatagramSocket createDatagramSocket(String serviceName, int port, InetAddress localAddress)
            throws SocketException {
        throw noUdp();
    }

    @Override
    public MulticastSocket createMulticastSocket(String serviceName) throws IOException {
        throw noUdp();
    }

    @Override
    public MulticastSocket createMulticastSocket(String serviceName, int port) throws IOException {
        throw noUdp();
    }

    @Override
    public MulticastSocket createMulticastSocket(String serviceName, SocketAddress bindAddress) throws IOException {
        throw noUdp();
    }

    @Override
    public void close(Socket sock) throws IOException {
        if (sock != null) {
            sock.close();
        }
    }

    @Override
    public void close(ServerSocket sock) throws IOException {
        if (sock != null) {
            sock.close();
        }
    }

    @Override
    public void close(DatagramSocket sock) {
        if (sock != null) {
            sock.close();
        }
    }
}
