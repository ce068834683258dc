package org.sovereign.store.consent;

import org.sovereign.store.audit.note.NoteSigner;
import org.sovereign.store.consent.ConsentRefusedException.Missing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Gives, renews, withdraws and checks consent. Every change is a new signed event, appended to the store and handed to
 * the audit sink; nothing is ever updated. {@link #require} is the one gate every indexing, embedding, generation or
 * sharing passes: it reads the store on every call, so a withdrawal takes effect for the very next call.
 */
public final class ConsentService {

    private final ConsentEventStore store;
    private final NoteSigner signer;
    private final Clock clock;
    private final Consumer<SignedConsentEvent> auditSink;
    private final Map<String, ConsentHistory> verified = new ConcurrentHashMap<>();

    /**
     * @param auditSink receives every new event after it is stored (the audit log appends it); must not throw
     */
    public ConsentService(ConsentEventStore store, NoteSigner signer, Clock clock, Consumer<SignedConsentEvent> auditSink) {
        this.store = store;
        this.signer = signer;
        this.clock = clock;
        this.auditSink = auditSink;
    }

    public ConsentHistory grant(ConsentTerms terms) {
        if (!store.eventsOf(terms.recordId()).isEmpty()) {
            throw new IllegalArgumentException("Consent " + terms.recordId() + " exists already.");
        }
        return append(new ConsentEvent(terms.recordId(), 1, ConsentStatus.GIVEN, clock.instant(), terms, ""));
    }

    /** Renews an active or lapsed (but not withdrawn) consent with new terms under the same record id. */
    public ConsentHistory renew(ConsentTerms terms) {
        ConsentHistory history = history(terms.recordId());
        if (history.latest().status() == ConsentStatus.WITHDRAWN) {
            throw new IllegalStateException("Consent " + terms.recordId() + " was withdrawn; ask for a new consent instead.");
        }
        return append(next(history, ConsentStatus.RENEWED, terms));
    }

    /** Withdraws a consent; from the next {@link #require} call on it covers nothing. Withdrawing twice is refused. */
    public ConsentHistory withdraw(String recordId) {
        ConsentHistory history = history(recordId);
        if (!history.latest().status().allowsProcessing()) {
            throw new IllegalStateException("Consent " + recordId + " is already " + history.latest().status().name().toLowerCase(Locale.ROOT) + ".");
        }
        return append(next(history, ConsentStatus.WITHDRAWN, null));
    }

    /** Records an expiry event for every consent whose validity has ended; returns how many were recorded. */
    public int recordExpiries() {
        Instant now = clock.instant();
        int count = 0;
        for (String id : store.recordIds()) {
            ConsentHistory h = history(id);
            if (h.latest().status().allowsProcessing() && h.statusAt(now) == ConsentStatus.EXPIRED) {
                append(next(h, ConsentStatus.EXPIRED, null));
                count++;
            }
        }
        return count;
    }

    /** The verified history of a consent; throws {@link InvalidConsentException} if its events do not verify. */
    public ConsentHistory history(String recordId) {
        List<SignedConsentEvent> events = store.eventsOf(recordId);
        if (events.isEmpty()) {
            throw new IllegalArgumentException("There is no consent " + recordId + ".");
        }
        return verifiedHistory(recordId, events);
    }

    private ConsentHistory verifiedHistory(String recordId, List<SignedConsentEvent> events) {
        // Replaying means an Ed25519 verification per event; the stored bytes are read and compared on every call,
        // so a verified replay is reused only while they are exactly the bytes it verified.
        ConsentHistory cached = verified.get(recordId);
        if (cached != null && sameBytes(cached.signedEvents(), events)) {
            return cached;
        }
        ConsentHistory history = ConsentHistory.replay(events, signer.publicKey());
        verified.put(recordId, history);
        return history;
    }

    private static boolean sameBytes(List<SignedConsentEvent> a, List<SignedConsentEvent> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i).body(), b.get(i).body())
                    || !Arrays.equals(a.get(i).signature(), b.get(i).signature())
                    || !Arrays.equals(a.get(i).signerPublicKey(), b.get(i).signerPublicKey())) {
                return false;
            }
        }
        return true;
    }

    public List<ConsentHistory> all() {
        // one read of every stored event (bytes compared with what was verified), not one read per consent
        return store.allEvents().entrySet().stream().map(e -> verifiedHistory(e.getKey(), e.getValue())).toList();
    }

    /**
     * Returns the terms of a consent that covers {@code request} now, or refuses.
     *
     * @throws ConsentRefusedException naming what is missing (from the consent that came closest)
     */
    public ConsentTerms require(ConsentRequest request) {
        Instant now = clock.instant();
        List<ConsentHistory> histories = new ArrayList<>(all());
        histories.sort(Comparator.comparing((ConsentHistory h) -> h.latest().time()).reversed());
        Set<Missing> closest = EnumSet.of(Missing.NO_CONSENT);
        List<Path> closestUncovered = request.sources();
        ConsentHistory closestHistory = null;
        for (ConsentHistory h : histories) {
            List<Path> uncovered = new ArrayList<>();
            Set<Missing> missing = gaps(h, request, now, uncovered);
            if (missing.isEmpty()) {
                return h.terms();
            }
            if (closest.contains(Missing.NO_CONSENT) || missing.size() < closest.size()) {
                closest = missing;
                closestUncovered = uncovered;
                closestHistory = h;
            }
        }
        throw new ConsentRefusedException(explain(request, closest, closestUncovered, closestHistory, now), closest, closestUncovered);
    }

    private static Set<Missing> gaps(ConsentHistory h, ConsentRequest request, Instant now, List<Path> uncovered) {
        ConsentTerms t = h.terms();
        Set<Missing> missing = EnumSet.noneOf(Missing.class);
        ConsentStatus status = h.statusAt(now);
        if (status == ConsentStatus.WITHDRAWN) {
            missing.add(Missing.WITHDRAWN);
        } else if (status == ConsentStatus.EXPIRED) {
            missing.add(Missing.EXPIRED);
        } else if (now.isBefore(t.validFrom())) {
            missing.add(Missing.NOT_YET_VALID);
        }
        if (!t.purposes().contains(request.purpose())) {
            missing.add(Missing.PURPOSE);
        }
        if (!t.operations().contains(request.operation())) {
            missing.add(Missing.OPERATION);
        }
        for (Path source : request.sources()) {
            // network destinations (net:HOST, for the egress policy) are no paths; Windows would refuse to parse them
            if (t.sources().stream().filter(s -> !s.startsWith("net:")).map(Path::of)
                    .noneMatch(consented -> within(source, consented))) {
                uncovered.add(source);
            }
        }
        if (!uncovered.isEmpty()) {
            missing.add(Missing.SOURCES);
        }
        if (request.packDigest() != null && !t.anyPack() && !t.packDigests().contains(request.packDigest())) {
            missing.add(Missing.PACK);
        }
        return missing;
    }

    /**
     * Whether {@code source} lies inside the consented {@code folder}, both as written and after resolving every
     * symbolic link: a link inside a consented folder that points elsewhere (say to {@code ~/.ssh}) does not carry the
     * consent with it, while a consented folder that is itself a link covers what it points to. A path that no longer
     * exists is judged by its deepest existing ancestor.
     */
    static boolean within(Path source, Path folder) {
        if (!source.startsWith(folder)) {
            return false;
        }
        return realPath(source).startsWith(realPath(folder));
    }

    /** The real path of {@code path}'s deepest existing ancestor, with the rest of {@code path} appended. */
    private static Path realPath(Path path) {
        Path existing = path;
        Path rest = null;
        while (existing != null) {
            try {
                Path real = existing.toRealPath();
                return rest == null ? real : real.resolve(rest);
            } catch (IOException | SecurityException e) {
                Path name = existing.getFileName();
                rest = rest == null ? name : name == null ? rest : name.resolve(rest);
                existing = existing.getParent();
            }
        }
        return path;
    }

    private static String explain(ConsentRequest r, Set<Missing> missing, List<Path> uncovered, ConsentHistory h, Instant now) {
        String what = r.operation().jsonName() + " for '" + r.purpose() + "'";
        if (h == null) {
            return "No consent allows this: you have not given any consent to " + what + ".";
        }
        List<String> reasons = new ArrayList<>();
        for (Missing m : missing) {
            switch (m) {
                case WITHDRAWN -> reasons.add("it was withdrawn on " + h.latest().time());
                case EXPIRED -> reasons.add("it expired on " + h.terms().validUntil());
                case NOT_YET_VALID -> reasons.add("it is valid only from " + h.terms().validFrom());
                case PURPOSE -> reasons.add("it does not cover the purpose '" + r.purpose() + "'");
                case OPERATION -> reasons.add("it does not allow the operation '" + r.operation().jsonName() + "'");
                case SOURCES -> reasons.add("it does not cover " + (uncovered.size() == 1 ? uncovered.get(0)
                        : uncovered.size() + " of the sources (first: " + uncovered.get(0) + ")"));
                case PACK -> reasons.add("it does not allow the model pack " + r.packDigest());
                case NO_CONSENT -> reasons.add("there is none");
            }
        }
        return "No consent allows " + what + ". The closest, " + h.recordId() + ", does not: " + String.join("; ", reasons) + ".";
    }

    private ConsentEvent next(ConsentHistory history, ConsentStatus status, ConsentTerms terms) {
        List<SignedConsentEvent> signed = history.signedEvents();
        Instant time = clock.instant();
        if (time.isBefore(history.latest().time())) {
            time = history.latest().time(); // a clock that went back must not break the chain's order
        }
        return new ConsentEvent(history.recordId(), signed.size() + 1L, status, time, terms, signed.get(signed.size() - 1).hash());
    }

    private ConsentHistory append(ConsentEvent event) {
        SignedConsentEvent signed = SignedConsentEvent.sign(event, signer);
        store.append(event.recordId(), signed);
        auditSink.accept(signed);
        return history(event.recordId());
    }
}
