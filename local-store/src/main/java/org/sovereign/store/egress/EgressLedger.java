package org.sovereign.store.egress;

import java.util.Map;

/**
 * Where the guard writes what it opened: in the product, the audit log (one entry per event, refs only, never
 * content). Called from network threads; implementations must be thread-safe and must not throw for a full disk
 * silently: an exception propagates to the code that opened the socket.
 */
@FunctionalInterface
public interface EgressLedger {

    /** Entry types, also listed in {@link org.sovereign.store.audit.log.AuditTypes}. */
    String CONNECTED = "egress.connected";
    String LISTENING = "egress.listening";
    String ACCEPTED = "egress.accepted";
    String CLOSED = "egress.closed";
    String REFUSED = "egress.refused";

    void record(String type, Map<String, String> refs);
}
