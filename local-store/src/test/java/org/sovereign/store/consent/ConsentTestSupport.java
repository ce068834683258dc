package org.sovereign.store.consent;

import org.sovereign.store.audit.AuditException;
import org.sovereign.store.audit.note.Ed25519NoteSigner;
import org.sovereign.store.audit.note.NoteSigner;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Real Ed25519 keys from the JDK, a clock tests can move, and a plain list as the event store. */
final class ConsentTestSupport {

    private ConsentTestSupport() {
    }

    /** A device key made fresh for the test: a real JDK Ed25519 key pair. */
    static NoteSigner newDeviceKey() {
        try {
            return new Ed25519NoteSigner("test-device", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        } catch (GeneralSecurityException | AuditException e) {
            throw new IllegalStateException(e);
        }
    }

    static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A list-backed store: the gate's logic is under test here; the vault's store has its own tests. */
    static final class ListStore implements ConsentEventStore {
        final Map<String, List<SignedConsentEvent>> events = new LinkedHashMap<>();

        @Override
        public void append(String recordId, SignedConsentEvent event) {
            events.computeIfAbsent(recordId, k -> new ArrayList<>()).add(event);
        }

        @Override
        public List<SignedConsentEvent> eventsOf(String recordId) {
            return List.copyOf(events.getOrDefault(recordId, List.of()));
        }

        @Override
        public List<String> recordIds() {
            return List.copyOf(events.keySet());
        }
    }

    static ConsentTerms terms(Instant from, Duration validity, List<String> sources, Set<Operation> ops, List<String> packs) {
        return new ConsentTerms(UUID.randomUUID().toString(), "ada", "ada's workstation", List.of("private assistant"),
                List.of("dpv-pd:Document"), sources, packs, EnumSet.copyOf(ops), "EU", "P1Y", from, from.plus(validity),
                "Consent screen: Withdraw, or 'sovereign consent withdraw ID'",
                "Your notes in these folders will be indexed and used to answer your questions on this computer.", "en");
    }
}
