package org.sovereign.store.egress;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sockets libraries create first and connect or bind later (JGroups): nothing opens until then, the policy is asked
 * for the actual destination, and the ledger sees them like any other.
 */
class DeferredSocketTest {

    record Entry(String type, Map<String, String> refs) {
    }

    private final List<Entry> ledger = new CopyOnWriteArrayList<>();
    private final EgressGuard guard = new EgressGuard(request -> {
        if (request.direction() == EgressRequest.Direction.LISTEN) {
            return "started-by-user";
        }
        if ("c1".equals(request.consentId())) {
            return "consent:c1";
        }
        throw new EgressRefusedException("No consent allows it.");
    }, (type, refs) -> ledger.add(new Entry(type, Map.copyOf(refs))));

    @Test
    void anUnconnectedSocketAsksThePolicyForItsDestinationWhenItConnectsAndAppliesEarlierOptions() throws Exception {
        try (ServerSocket server = guard.unboundServerSocket(a -> EgressRequest.listen("lib", "127.0.0.1", a.getPort(),
                false))) {
            assertThat(ledger).isEmpty();
            assertThat(server.isBound()).isFalse();
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            try (Socket client = guard.unconnectedSocket(d -> EgressRequest.connect("lib",
                    d.getAddress().getHostAddress(), d.getPort(), "c1"))) {
                client.setTcpNoDelay(true);
                client.setSoTimeout(4321);
                assertThat(client.isConnected()).isFalse();
                assertThat(client.getLocalSocketAddress()).isNull();
                assertThat(ledger).extracting(Entry::type).containsExactly(EgressLedger.LISTENING);

                client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                try (Socket accepted = server.accept()) {
                    client.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    assertThat(accepted.getInputStream().readNBytes(2)).hasSize(2);
                }
                assertThat(client.isConnected()).isTrue();
                assertThat(client.getTcpNoDelay()).isTrue();
                assertThat(client.getSoTimeout()).isEqualTo(4321);
                assertThat(client.getPort()).isEqualTo(port);
            }
        }
        assertThat(ledger).filteredOn(e -> e.type().equals(EgressLedger.CONNECTED)).singleElement()
                .satisfies(e -> assertThat(e.refs()).containsEntry("purpose", "lib").containsEntry("basis", "consent:c1")
                        .containsEntry("destination", "127.0.0.1:" + e.refs().get("destination").split(":")[1]));
        assertThat(ledger).extracting(Entry::type).contains(EgressLedger.ACCEPTED, EgressLedger.CLOSED);
    }

    @Test
    void aRefusedDestinationOpensNothingAndTheSocketStaysUnconnected() throws Exception {
        try (Socket client = guard.unconnectedSocket(d -> EgressRequest.connect("lib", "127.0.0.1", d.getPort(), null))) {
            assertThatThrownBy(() -> client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), 1000))
                    .isInstanceOf(EgressRefusedException.class);
            assertThat(client.isConnected()).isFalse();
            assertThatThrownBy(client::getOutputStream).isInstanceOf(SocketException.class);
        }
        assertThat(ledger).extracting(Entry::type).containsExactly(EgressLedger.REFUSED);
    }

    @Test
    void aListenerOnAnotherAddressIsRefusedUnlessThePersonChoseIt() throws Exception {
        try (ServerSocket server = guard.unboundServerSocket(a -> EgressRequest.listen("lib", "0.0.0.0", a.getPort(),
                false))) {
            assertThatThrownBy(() -> server.bind(new InetSocketAddress(0))).isInstanceOf(EgressRefusedException.class)
                    .hasMessageContaining("only the loopback address");
            assertThat(server.isBound()).isFalse();
        }
        assertThat(ledger).extracting(Entry::type).containsExactly(EgressLedger.REFUSED);
    }
}
