package org.sovereign.store.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * A socket the workstation wants to open.
 *
 * @param purpose         why, in the words of the consent that must cover it (e.g. {@code serve}, {@code mesh},
 *                        {@code pack-fetch})
 * @param direction       connect out, or listen
 * @param host            the destination (connect) or the bind address (listen); a name or a literal address
 * @param port            the port; 0 to listen on any free port
 * @param consentId       the consent the caller relies on, or {@code null} when the purpose needs none (a loopback
 *                        listener the person started)
 * @param beyondLoopback  for a listener: the person explicitly asked to accept connections from other machines
 */
public record EgressRequest(String purpose, Direction direction, String host, int port, String consentId,
                            boolean beyondLoopback) {

    /** Which way the socket faces. */
    public enum Direction {
        CONNECT, LISTEN
    }

    public EgressRequest {
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("A port is a number from 0 to 65535, not " + port + ".");
        }
    }

    /** An outgoing connection under a consent. */
    public static EgressRequest connect(String purpose, String host, int port, String consentId) {
        return new EgressRequest(purpose, Direction.CONNECT, host, port, consentId, false);
    }

    /** A listener on the loopback interface only. */
    public static EgressRequest listenOnLoopback(String purpose, int port) {
        return new EgressRequest(purpose, Direction.LISTEN, "127.0.0.1", port, null, false);
    }

    /** A listener on {@code bindAddress}; {@code beyondLoopback} must be the person's explicit choice. */
    public static EgressRequest listen(String purpose, String bindAddress, int port, boolean beyondLoopback) {
        return new EgressRequest(purpose, Direction.LISTEN, bindAddress, port, null, beyondLoopback);
    }

    /** The same request towards another destination (a redirect), under the same purpose and consent. */
    public EgressRequest towards(String otherHost, int otherPort) {
        return new EgressRequest(purpose, direction, otherHost, otherPort, consentId, beyondLoopback);
    }

    /** {@code host:port}, with IPv6 literals in brackets. */
    public String destination() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** Whether {@link #host()} is a loopback address (resolved without any DNS query for literals and localhost). */
    public boolean isLoopback() {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!isLiteralAddress(host)) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static boolean isLiteralAddress(String host) {
        return host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }
}
