package org.sovereign.store.consent;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The verified replay of one consent record's signed events. Replay refuses: a signature by any key but the trusted
 * one, a gap or reordering in the sequence, a broken hash chain, a history that does not start with a grant, and any
 * event after a withdrawal or expiry (a withdrawn consent cannot be revived by replaying a grant; a new consent needs
 * a new record id).
 */
public final class ConsentHistory {

    private final List<SignedConsentEvent> signed;
    private final List<ConsentEvent> events;

    private ConsentHistory(List<SignedConsentEvent> signed, List<ConsentEvent> events) {
        this.signed = List.copyOf(signed);
        this.events = List.copyOf(events);
    }

    /** Verifies and replays {@code signedEvents} (in sequence order) against the device's raw Ed25519 public key. */
    public static ConsentHistory replay(List<SignedConsentEvent> signedEvents, byte[] trustedKey) {
        if (signedEvents.isEmpty()) {
            throw new InvalidConsentException("A consent record has no events.");
        }
        List<ConsentEvent> events = new ArrayList<>();
        String previousHash = "";
        String recordId = null;
        for (SignedConsentEvent s : signedEvents) {
            if (!s.verifiesWith(trustedKey)) {
                throw new InvalidConsentException("A consent event is not signed by this device's key.");
            }
            ConsentEvent e = s.event();
            long expected = events.size() + 1L;
            if (recordId == null) {
                recordId = e.recordId();
            } else if (!recordId.equals(e.recordId())) {
                throw new InvalidConsentException("Events of different consent records were mixed.");
            }
            if (e.sequence() != expected) {
                throw new InvalidConsentException("Consent " + recordId + ": event " + e.sequence() + " found where event "
                        + expected + " belongs (an event was removed or reordered).");
            }
            if (!e.previousEventHash().equals(previousHash)) {
                throw new InvalidConsentException("Consent " + recordId + ": event " + e.sequence()
                        + " does not follow the event before it.");
            }
            if (events.isEmpty() && e.status() != ConsentStatus.GIVEN) {
                throw new InvalidConsentException("Consent " + recordId + " does not start with a grant.");
            }
            if (!events.isEmpty() && !events.get(events.size() - 1).status().allowsProcessing()) {
                throw new InvalidConsentException("Consent " + recordId + " was " + events.get(events.size() - 1).status().name().toLowerCase(Locale.ROOT)
                        + "; nothing may follow (a withdrawn consent cannot be replayed).");
            }
            if (!events.isEmpty() && e.status() == ConsentStatus.GIVEN) {
                throw new InvalidConsentException("Consent " + recordId + " was granted twice; a renewal must say so.");
            }
            if (!events.isEmpty() && e.time().isBefore(events.get(events.size() - 1).time())) {
                throw new InvalidConsentException("Consent " + recordId + ": event " + e.sequence() + " is dated before the one it follows.");
            }
            events.add(e);
            previousHash = s.hash();
        }
        return new ConsentHistory(signedEvents, events);
    }

    public String recordId() {
        return events.get(0).recordId();
    }

    public List<ConsentEvent> events() {
        return events;
    }

    public List<SignedConsentEvent> signedEvents() {
        return signed;
    }

    public ConsentEvent latest() {
        return events.get(events.size() - 1);
    }

    /** The terms in force: those of the latest grant or renewal. */
    public ConsentTerms terms() {
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).terms() != null) {
                return events.get(i).terms();
            }
        }
        throw new IllegalStateException("unreachable: replay guarantees a grant");
    }

    /** The status at {@code now}: a grant or renewal past its validity counts as expired even before that is recorded. */
    public ConsentStatus statusAt(Instant now) {
        ConsentStatus recorded = latest().status();
        if (recorded.allowsProcessing() && !now.isBefore(terms().validUntil())) {
            return ConsentStatus.EXPIRED;
        }
        return recorded;
    }

    /** True when this consent allows processing at {@code now} (status and validity window). */
    public boolean activeAt(Instant now) {
        return statusAt(now).allowsProcessing() && !now.isBefore(terms().validFrom());
    }
}
