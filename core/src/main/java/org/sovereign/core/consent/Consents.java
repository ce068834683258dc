package org.sovereign.core.consent;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentTerms;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Giving consent: turns a {@link GrantRequest} into signed terms on this device and records them. The only place
 * the workstation builds {@link ConsentTerms} for a person's consent.
 */
public final class Consents {

    /** The personal-data category every library consent covers (W3C DPV). */
    public static final String DOCUMENTS = "dpv-pd:Document";
    /** How a consent given here is withdrawn, as the signed record says it. */
    public static final String WITHDRAWAL_METHOD = "Withdraw on the Consent screen, or sovereign consent withdraw <id>";

    private final LocalStore store;
    private final Clock clock;

    public Consents(LocalStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Signs and records the consent; blocks while it is written and audited.
     *
     * @throws UserFacingException if the request is incomplete ({@link GrantRequest#problem()}) or the vault refuses it
     */
    public ConsentHistory grant(GrantRequest request) {
        String problem = request.problem();
        if (!problem.isEmpty()) {
            throw new UserFacingException(problem);
        }
        ConsentTerms terms = terms(request, clock.instant());
        return StoreService.translate(() -> store.consent().grant(terms));
    }

    /** The terms {@link #grant} signs for {@code request} at {@code now}: a fresh record id, this device as controller. */
    ConsentTerms terms(GrantRequest request, Instant now) {
        return new ConsentTerms(UUID.randomUUID().toString(), "device owner",
                "device " + store.deviceIdentity().fingerprint(), request.purposes(), List.of(DOCUMENTS),
                request.sources().stream().map(Path::toString).toList(), request.packDigests(), request.operations(),
                "local", "P" + request.validDays() + "D", now, now.plus(Duration.ofDays(request.validDays())),
                WITHDRAWAL_METHOD, request.noticeText(), "en");
    }
}
