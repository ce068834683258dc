package org.sovereign.core.egress;

import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentService;
import org.sovereign.store.consent.InvalidConsentException;
import org.sovereign.store.egress.EgressPolicy;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;

import java.time.Clock;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;

/**
 * The workstation's network policy: each purpose that may use the network has one rule here; every other purpose is
 * refused. Listening needs no consent (the person started the server, and the guard keeps it on loopback unless they
 * chose otherwise; each client of the local API is bound by its own consent); connecting out needs a live consent
 * that names the purpose and the destination.
 */
public final class NetworkPurposes implements EgressPolicy {

    /** The local OpenAI-compatible API: listening only. */
    public static final String SERVE = "serve";
    /** The cooperative mesh. */
    public static final String MESH = "mesh";
    /** Downloading a model from a model hub. */
    public static final String PACK_FETCH = "pack-fetch";

    /** The source prefix with which a consent names a network destination, e.g. {@code net:huggingface.co}. */
    public static final String NET_SOURCE = "net:";

    private final ConsentService consents;
    private final Clock clock;

    public NetworkPurposes(ConsentService consents, Clock clock) {
        this.consents = consents;
        this.clock = clock;
    }

    @Override
    public String authorize(EgressRequest request) {
        String purpose = request.purpose();
        if (request.direction() == EgressRequest.Direction.LISTEN) {
            if (purpose.equals(SERVE) || purpose.equals(MESH)) {
                return "started-by-user";
            }
            throw refused(request);
        }
        return switch (purpose) {
            case PACK_FETCH, MESH -> consentNamingDestination(request);
            default -> throw refused(request);
        };
    }

    /**
     * A live consent (the request's) whose purposes include the request's purpose and whose sources name the host
     * ({@link #names}).
     */
    private String consentNamingDestination(EgressRequest request) {
        if (request.consentId() == null) {
            throw new EgressRefusedException("Connecting to " + request.host() + " for '" + request.purpose()
                    + "' needs your consent, and none was given.");
        }
        ConsentHistory history;
        try {
            history = consents.history(request.consentId());
        } catch (IllegalArgumentException | InvalidConsentException e) {
            throw new EgressRefusedException("There is no consent " + request.consentId() + ".");
        }
        if (!history.activeAt(clock.instant())) {
            throw new EgressRefusedException("The consent for '" + request.purpose() + "' is no longer in force, so "
                    + request.host() + " was not contacted.");
        }
        if (!history.terms().purposes().contains(request.purpose())) {
            throw new EgressRefusedException("The consent does not cover '" + request.purpose() + "'.");
        }
        if (!names(history.terms().sources(), request.host())) {
            throw new EgressRefusedException("The consent does not name " + request.host() + ", so it was not contacted.");
        }
        return "consent:" + history.recordId();
    }

    /**
     * Whether {@code sources} (a consent's) name {@code host}: {@code net:HOST} exactly, {@code net:*.DOMAIN} for
     * any host under that domain (not the domain itself), or {@code net:*} for any host. Case-insensitive.
     */
    public static boolean names(Collection<String> sources, String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return sources.stream()
                .filter(s -> s.startsWith(NET_SOURCE))
                .map(s -> s.substring(NET_SOURCE.length()).toLowerCase(Locale.ROOT))
                .anyMatch(n -> n.equals("*") || n.equals(h)
                        || n.startsWith("*.") && n.length() > 2 && h.endsWith(n.substring(1)));
    }

    private static EgressRefusedException refused(EgressRequest request) {
        return new EgressRefusedException("Nothing in this workstation may use the network for '" + request.purpose() + "'.");
    }

    /** Purposes and what their rule needs, for the Settings screen and the docs. */
    public static Map<String, String> described() {
        return Map.of(SERVE, "listens on this computer only, unless you choose otherwise",
                MESH, "connects to peers under a consent to share",
                PACK_FETCH, "downloads a model from a host your consent names");
    }
}
