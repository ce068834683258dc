package org.sovereign.mesh.net;

import org.jgroups.conf.ProtocolConfiguration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The JGroups stack the mesh runs, built in code (ADR-0011): TCP through the egress guard, TCPPING over the known peers
 * (no multicast discovery), failure detection by heartbeats over the channel (FD_ALL3; FD_SOCK2 would open NIO sockets
 * outside the guard), ASYM_ENCRYPT with RSA and AES-CBC, MERGE3 to heal partitions, reliable delivery, UFC/MFC flow
 * control and FRAG4. {@link StackCheck} refuses a stack with weak crypto or multicast before anything starts.
 *
 * @param cooperative    the cooperative's id, used as the JGroups cluster name
 * @param bindAddress    the address to listen on (loopback unless the person chose another)
 * @param bindPort       the port to listen on
 * @param beyondLoopback the person chose to accept members from other machines
 * @param knownPeers     addresses of peers to contact ({@code host:port}); this member's own address is added
 * @param rsaBits        RSA key size of ASYM_ENCRYPT's key exchange (at least 3072)
 * @param symAlgorithm   the group cipher transformation (AES/CBC/PKCS5Padding)
 * @param symKeyBits     the group key size in bits
 * @param mergeInterval  MERGE3's shortest interval between checks for other subgroups (the longest is three times it)
 * @param failureTimeout how long a silent member stays in the view (FD_ALL3)
 */
public record MeshProfile(String cooperative, String bindAddress, int bindPort, boolean beyondLoopback,
                          List<String> knownPeers, int rsaBits, String symAlgorithm, int symKeyBits,
                          Duration mergeInterval, Duration failureTimeout) {

    /** The RSA key size the mesh requires at least. */
    public static final int MIN_RSA_BITS = 3072;
    /** The group cipher the mesh uses (AES-GCM failed inside ASYM_ENCRYPT on JGroups 5.5; docs/mesh.md). */
    public static final String SYM_ALGORITHM = "AES/CBC/PKCS5Padding";
    /** The default port. */
    public static final int DEFAULT_PORT = 7800;

    public MeshProfile {
        Objects.requireNonNull(cooperative, "cooperative");
        Objects.requireNonNull(bindAddress, "bindAddress");
        knownPeers = List.copyOf(knownPeers);
        Objects.requireNonNull(symAlgorithm, "symAlgorithm");
        Objects.requireNonNull(mergeInterval, "mergeInterval");
        Objects.requireNonNull(failureTimeout, "failureTimeout");
        for (String peer : knownPeers) {
            KnownPeers.parse(peer);
        }
    }

    /** The default profile: loopback, RSA-3072, AES-256-CBC, merge checks every 10 to 30 s. */
    public static MeshProfile defaults(String cooperative, int bindPort, List<String> knownPeers) {
        return new MeshProfile(cooperative, "127.0.0.1", bindPort, false, knownPeers, MIN_RSA_BITS, SYM_ALGORITHM, 256,
                Duration.ofSeconds(10), Duration.ofSeconds(40));
    }

    public MeshProfile withCrypto(int rsa, String sym) {
        return new MeshProfile(cooperative, bindAddress, bindPort, beyondLoopback, knownPeers, rsa, sym, symKeyBits,
                mergeInterval, failureTimeout);
    }

    public MeshProfile withTimings(Duration merge, Duration failure) {
        return new MeshProfile(cooperative, bindAddress, bindPort, beyondLoopback, knownPeers, rsaBits, symAlgorithm,
                symKeyBits, merge, failure);
    }

    public MeshProfile withKnownPeers(List<String> peers) {
        return new MeshProfile(cooperative, bindAddress, bindPort, beyondLoopback, peers, rsaBits, symAlgorithm,
                symKeyBits, mergeInterval, failureTimeout);
    }

    /** The protocol stack, bottom (transport) first, as JGroups reads it from XML. */
    public List<ProtocolConfiguration> protocols() {
        List<String> hosts = new ArrayList<>();
        hosts.add(KnownPeers.jgroupsForm(bindAddress + ":" + bindPort));
        for (String peer : knownPeers) {
            String form = KnownPeers.jgroupsForm(peer);
            if (!hosts.contains(form)) {
                hosts.add(form);
            }
        }
        long merge = mergeInterval.toMillis();
        long failure = failureTimeout.toMillis();
        List<ProtocolConfiguration> stack = new ArrayList<>();
        stack.add(protocol("TCP", "bind_addr", bindAddress, "bind_port", bindPort, "port_range", 0,
                "diag.enabled", false, "sock_conn_timeout", "2000", "tcp_nodelay", true));
        stack.add(protocol("TCPPING", "initial_hosts", String.join(",", hosts), "port_range", 0,
                "async_discovery", true));
        stack.add(protocol("MERGE3", "min_interval", merge, "max_interval", merge * 3));
        stack.add(protocol("FD_ALL3", "timeout", failure, "interval", Math.max(200, failure / 5)));
        stack.add(protocol("VERIFY_SUSPECT2", "timeout", 1500));
        stack.add(protocol("BARRIER"));
        stack.add(protocol("ASYM_ENCRYPT", "asym_algorithm", "RSA", "asym_keylength", rsaBits,
                "sym_algorithm", symAlgorithm, "sym_keylength", symKeyBits, "sym_iv_length", 16,
                "change_key_on_leave", true, "use_external_key_exchange", false));
        stack.add(protocol("pbcast.NAKACK2", "use_mcast_xmit", false));
        stack.add(protocol("UNICAST3"));
        stack.add(protocol("pbcast.STABLE", "desired_avg_gossip", 20000, "max_bytes", "4M"));
        stack.add(protocol("pbcast.GMS", "join_timeout", 2000, "print_local_addr", false));
        stack.add(protocol("UFC", "max_credits", "4M", "min_threshold", "0.4"));
        stack.add(protocol("MFC", "max_credits", "4M", "min_threshold", "0.4"));
        stack.add(protocol("FRAG4", "frag_size", "60000"));
        return stack;
    }

    private static ProtocolConfiguration protocol(String name, Object... properties) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < properties.length; i += 2) {
            map.put((String) properties[i], String.valueOf(properties[i + 1]));
        }
        return new ProtocolConfiguration(name, map);
    }

    /** The stack as one line, for diagnostics. */
    public String describe() {
        return protocols().stream().map(ProtocolConfiguration::getProtocolName).collect(Collectors.joining(" "));
    }
}
