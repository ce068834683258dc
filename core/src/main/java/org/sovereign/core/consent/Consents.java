package org.sovereign.core.consent;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.egress.NetworkPurposes;
import org.sovereign.core.library.LibraryService;
import org.sovereign.core.store.StoreService;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

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
    private final Supplier<LibraryService> library;

    /** Giving consent only: {@link #withdraw} with {@code erase} needs the library ({@link #Consents(LocalStore, Clock, Supplier)}). */
    public Consents(LocalStore store, Clock clock) {
        this(store, clock, () -> {
            throw new IllegalStateException("No library to erase from");
        });
    }

    /** @param library the workspace's library (no model needed), for erasing what was indexed under a consent */
    public Consents(LocalStore store, Clock clock, Supplier<LibraryService> library) {
        this.store = store;
        this.clock = clock;
        this.library = library;
    }

    /**
     * Withdraws the consent {@code recordId}: from the next check on it covers nothing (indexing, search, answers,
     * earlier exchanges that cite its documents). With {@code erase}, every library source indexed under it that no
     * other active consent covers (those indexed under it, or inside the folders it names) is erased as well: its scope key is destroyed, so its stored text and vectors can
     * never be read again (crypto-shredding), and each erasure is an audit entry. Blocks while it writes.
     *
     * @throws UserFacingException if there is no such consent or it was already withdrawn
     */
    public Withdrawal withdraw(String recordId, boolean erase) {
        ConsentHistory withdrawn;
        try {
            withdrawn = StoreService.translate(() -> store.consent().withdraw(recordId));
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("There is no consent " + recordId + ".", e);
        } catch (IllegalStateException e) {
            throw new UserFacingException(e.getMessage(), e);
        }
        List<Path> erased = new ArrayList<>();
        List<Path> kept = new ArrayList<>();
        if (erase) {
            LibraryService lib = library.get();
            Instant now = clock.instant();
            for (Map.Entry<Path, String> source : lib.sourceConsents().entrySet()) {
                Path root = source.getKey();
                boolean under = source.getValue().equals(recordId) || covers(withdrawn, root);
                if (!under) {
                    continue;
                }
                if (stillCovered(root, now)) {
                    kept.add(root);
                } else {
                    lib.forget(root);
                    erased.add(root);
                }
            }
        }
        return new Withdrawal(withdrawn, erased, kept);
    }

    /** Whether another active consent allows indexing {@code root}, for any purpose. */
    private boolean stillCovered(Path root, Instant now) {
        return store.consent().all().stream().anyMatch(h -> h.activeAt(now) && covers(h, root));
    }

    /** Whether {@code consent}'s terms allow indexing {@code root} (one of its sources contains it). */
    private static boolean covers(ConsentHistory consent, Path root) {
        return consent.terms().operations().contains(Operation.INDEX)
                && consent.terms().sources().stream().filter(s -> !s.startsWith(NetworkPurposes.NET_SOURCE))
                .map(Path::of).anyMatch(root::startsWith);
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

    /**
     * Signs and records the consent that binds one client of the local API: {@code request}'s sources are the library
     * folders the client may ask over and may be empty; {@code clientSource} (a name that is never a path on disk, e.g.
     * {@code api-client/3f2a9c}) is added so the signed terms name the client itself. Blocks while it is written.
     *
     * @throws UserFacingException if the request is otherwise incomplete or the vault refuses it
     */
    public ConsentHistory grantForClient(GrantRequest request, String clientSource) {
        GrantRequest checked = request.sources().isEmpty()
                ? new GrantRequest(request.purposes(), request.operations(), List.of(Path.of(clientSource)),
                request.packDigests(), request.validDays(), request.notice()) : request;
        String problem = checked.problem();
        if (!problem.isEmpty()) {
            throw new UserFacingException(problem);
        }
        List<String> sources = new ArrayList<>(request.recordedSources());
        sources.add(clientSource);
        ConsentTerms terms = terms(request, sources, clock.instant());
        return StoreService.translate(() -> store.consent().grant(terms));
    }

    /** The terms {@link #grant} signs for {@code request} at {@code now}: a fresh record id, this device as controller. */
    ConsentTerms terms(GrantRequest request, Instant now) {
        return terms(request, request.recordedSources(), now);
    }

    private ConsentTerms terms(GrantRequest request, List<String> sources, Instant now) {
        return new ConsentTerms(UUID.randomUUID().toString(), "device owner",
                "device " + store.deviceIdentity().fingerprint(), request.purposes(), List.of(DOCUMENTS),
                sources, request.packDigests(), request.operations(),
                "local", "P" + request.validDays() + "D", now, now.plus(Duration.ofDays(request.validDays())),
                WITHDRAWAL_METHOD, request.noticeText(), "en");
    }
}
