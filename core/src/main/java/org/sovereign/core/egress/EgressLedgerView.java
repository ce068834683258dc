package org.sovereign.core.egress;

import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditLog;
import org.sovereign.store.audit.log.AuditTypes;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The egress ledger: every network connection the workstation ever opened, listened for, accepted or refused, read
 * back from the {@code egress.*} entries the egress guard writes to the audit log (ADR-0010). Each connection is one
 * row: its opening entry paired with the {@code egress.closed} entry that carries its byte counts. The audit log is
 * public data (refs only), so the ledger needs no passphrase.
 */
public final class EgressLedgerView {

    /** What the ledger says when there is nothing in it. */
    public static final String NEVER_USED = "This workstation has never used the network.";

    private static final int PAGE = 1000;

    private EgressLedgerView() {
    }

    /** Which way a connection went. */
    public enum Kind {
        /** This workstation connected to another machine. */
        OUTGOING("outgoing"),
        /** This workstation waited for connections (the local API, the mesh). */
        LISTENING("listening"),
        /** Another program or machine connected to a listener of this workstation. */
        INCOMING("incoming"),
        /** Nothing allowed it, so nothing was opened. */
        REFUSED("refused");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** One lower-case word for tables. */
        public String words() {
            return words;
        }
    }

    /**
     * One connection.
     *
     * @param sequence    the audit entry that opened it (or refused it)
     * @param time        when it was opened (or refused)
     * @param kind        which way it went
     * @param purpose     what it was for ({@link NetworkPurposes})
     * @param destination {@code host:port} it went to, or the address it listened on
     * @param peer        for an incoming connection, the address it came from; otherwise empty
     * @param basis       what allowed it ({@code consent:<id>} or {@code started-by-user}); for a refused one, the
     *                    consent it named, if any, else empty
     * @param closedAt    when it was closed, or null while it is open or when the program stopped before closing it
     * @param sent        bytes sent, or null when not recorded (see {@code closedAt})
     * @param received    bytes received, or null when not recorded
     */
    public record Connection(long sequence, Instant time, Kind kind, String purpose, String destination, String peer,
                             String basis, Instant closedAt, Long sent, Long received) {

        public boolean refused() {
            return kind == Kind.REFUSED;
        }

        /** Whether its byte counts were recorded (it was closed while the program ran). */
        public boolean closed() {
            return closedAt != null;
        }

        /** The basis in words, with consents named by {@code consentName} (given the consent id). */
        public String basisText(Function<String, String> consentName) {
            if (basis.startsWith("consent:")) {
                return consentName.apply(basis.substring("consent:".length()));
            }
            return switch (basis) {
                case "started-by-user" -> "started by you";
                case "" -> refused() ? "nothing allowed it" : "not recorded";
                default -> basis;
            };
        }

        /** Bytes sent and received in words, e.g. {@code 1,204 sent, 88 received}. */
        public String bytesText() {
            if (refused()) {
                return "nothing sent";
            }
            if (!closed() || sent == null || received == null) {
                return "not recorded (still open, or the program stopped first)";
            }
            return String.format(java.util.Locale.ROOT, "%,d sent, %,d received", sent, received);
        }
    }

    /** Every connection in {@code log}, oldest first. */
    public static List<Connection> read(AuditLog log) {
        long size = log.size();
        List<AuditEntry> egress = new ArrayList<>();
        for (long from = 0; from < size; from += PAGE) {
            for (AuditEntry e : log.entries(from, Math.min(size, from + PAGE))) {
                if (e.type().startsWith("egress.")) {
                    egress.add(e);
                }
            }
        }
        return of(egress);
    }

    /** The connections that {@code entries} (audit entries in log order; others are ignored) describe. */
    public static List<Connection> of(List<AuditEntry> entries) {
        List<Connection> rows = new ArrayList<>();
        Map<String, Deque<Integer>> open = new HashMap<>();
        Map<String, String> listenerPorts = new HashMap<>();
        for (AuditEntry e : entries) {
            Map<String, String> refs = e.refs();
            switch (e.type()) {
                case AuditTypes.EGRESS_CONNECTED, AuditTypes.EGRESS_LISTENING, AuditTypes.EGRESS_ACCEPTED -> {
                    Kind kind = e.type().equals(AuditTypes.EGRESS_CONNECTED) ? Kind.OUTGOING
                            : e.type().equals(AuditTypes.EGRESS_LISTENING) ? Kind.LISTENING : Kind.INCOMING;
                    String listener = ref(refs, "purpose") + "\n" + ref(refs, "destination") + "\n" + ref(refs, "basis");
                    if (kind == Kind.LISTENING && refs.containsKey("port")) {
                        listenerPorts.put(listener, refs.get("port"));
                    }
                    String port = refs.containsKey("port") ? refs.get("port") : listenerPorts.get(listener);
                    rows.add(new Connection(e.sequence(), e.time(), kind, ref(refs, "purpose"),
                            destination(ref(refs, "destination"), port), ref(refs, "peer"), ref(refs, "basis"), null,
                            null, null));
                    open.computeIfAbsent(key(kind, refs), k -> new ArrayDeque<>()).addLast(rows.size() - 1);
                }
                case AuditTypes.EGRESS_CLOSED -> {
                    Kind kind = refs.containsKey("peer") ? Kind.INCOMING
                            : "listen".equals(refs.get("direction")) ? Kind.LISTENING : Kind.OUTGOING;
                    Deque<Integer> waiting = open.get(key(kind, refs));
                    Integer index = waiting == null ? null : waiting.pollFirst();
                    if (index != null) {
                        Connection c = rows.get(index);
                        rows.set(index, new Connection(c.sequence(), c.time(), c.kind(), c.purpose(), c.destination(),
                                c.peer(), c.basis(), e.time(), count(refs, "sent"), count(refs, "received")));
                    }
                }
                case AuditTypes.EGRESS_REFUSED -> rows.add(new Connection(e.sequence(), e.time(), Kind.REFUSED,
                        ref(refs, "purpose"), ref(refs, "destination"), "",
                        refs.containsKey("consent") ? "consent:" + refs.get("consent") : "", null, null, null));
                default -> {
                    // not an egress entry
                }
            }
        }
        return List.copyOf(rows);
    }

    /**
     * A listener's destination is the address it bound, with the port it got when it asked for any port (recorded
     * on its {@code egress.listening} entry; its incoming connections take it from there).
     */
    private static String destination(String destination, String port) {
        if (port != null && destination.endsWith(":0")) {
            return destination.substring(0, destination.length() - 1) + port;
        }
        return destination;
    }

    /** Opening and closing entries of one connection share these refs (the closing one adds the byte counts). */
    private static String key(Kind kind, Map<String, String> refs) {
        return kind + "\n" + ref(refs, "purpose") + "\n" + ref(refs, "destination") + "\n" + ref(refs, "basis")
                + "\n" + ref(refs, "peer");
    }

    private static String ref(Map<String, String> refs, String name) {
        return Optional.ofNullable(refs.get(name)).orElse("");
    }

    private static Long count(Map<String, String> refs, String name) {
        try {
            return Long.parseLong(refs.getOrDefault(name, ""));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
