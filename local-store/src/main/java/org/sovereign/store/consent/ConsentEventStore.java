package org.sovereign.store.consent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where signed consent events are kept, append-only. Implemented by the vault (encrypted at rest). */
public interface ConsentEventStore {

    /** Appends an event; it is durable when this returns. Rows are never updated or deleted. */
    void append(String recordId, SignedConsentEvent event);

    /** The record's events in the order they were appended. */
    List<SignedConsentEvent> eventsOf(String recordId);

    /** Every record id, oldest first. */
    List<String> recordIds();

    /**
     * Every record's events, records oldest first, each in append order. The default asks {@link #recordIds()} and
     * {@link #eventsOf(String)}; a store may answer in one read.
     */
    default Map<String, List<SignedConsentEvent>> allEvents() {
        Map<String, List<SignedConsentEvent>> out = new LinkedHashMap<>();
        for (String id : recordIds()) {
            out.put(id, eventsOf(id));
        }
        return out;
    }
}
