package org.sovereign.server;

import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * A registered client of the local API as a list shows it: what its consent allows, until when, and whether it may
 * call now. Read from the client and its signed consent.
 *
 * @param client      the client
 * @param state       whether it may call, or why not
 * @param operations  what its consent allows ({@link Operation#GENERATE} also covers asking about {@code sources})
 * @param packDigests the packs it may use; empty for any installed pack
 * @param sources     the library folders it may ask about
 * @param validUntil  when its consent ends (null when the consent cannot be read)
 */
public record ClientStatus(ApiClient client, State state, Set<Operation> operations, List<String> packDigests,
                           List<Path> sources, Instant validUntil) {

    /** Whether a client may call, or why it may not. */
    public enum State {
        /** Its key works and its consent is in force. */
        MAY_CALL,
        /** It was revoked. */
        REVOKED,
        /** Its consent was withdrawn. */
        CONSENT_WITHDRAWN,
        /** Its consent ended (or has not begun). */
        CONSENT_ENDED,
        /** Its consent cannot be read. */
        CONSENT_UNREADABLE
    }

    public ClientStatus {
        operations = Set.copyOf(operations);
        packDigests = List.copyOf(packDigests);
        sources = List.copyOf(sources);
    }

    /** Each of {@code clients} with its consent as recorded in {@code store}, at {@code now}. */
    public static List<ClientStatus> of(LocalStore store, List<ApiClient> clients, Instant now) {
        List<ClientStatus> out = new ArrayList<>();
        for (ApiClient c : clients) {
            ConsentHistory history;
            try {
                history = store.consent().history(c.consentId());
            } catch (RuntimeException e) {
                out.add(new ClientStatus(c, c.isRevoked() ? State.REVOKED : State.CONSENT_UNREADABLE, Set.of(),
                        List.of(), List.of(), null));
                continue;
            }
            ConsentTerms terms = history.terms();
            State state = c.isRevoked() ? State.REVOKED
                    : history.activeAt(now) ? State.MAY_CALL
                    : history.statusAt(now) == ConsentStatus.WITHDRAWN ? State.CONSENT_WITHDRAWN
                    : State.CONSENT_ENDED;
            List<Path> folders = terms.sources().stream()
                    .filter(s -> !s.startsWith("api-client/") && !s.startsWith("net:")).map(Path::of).toList();
            out.add(new ClientStatus(c, state, terms.operations(), terms.packDigests(), folders, terms.validUntil()));
        }
        return out;
    }

    /** Whether it may call now. */
    public boolean mayCall() {
        return state == State.MAY_CALL;
    }

    /**
     * What its consent allows, in words, e.g. "generate text and compute embeddings, with any installed model; ask
     * about /home/ana/notes".
     *
     * @param packName the name to show for a pack digest (the digest itself when the pack is no longer installed)
     */
    public String allowedWords(Function<String, String> packName) {
        if (operations.isEmpty()) {
            return "nothing that can be read";
        }
        List<String> may = new ArrayList<>();
        if (operations.contains(Operation.GENERATE)) {
            may.add("generate text");
        }
        if (operations.contains(Operation.EMBED)) {
            may.add("compute embeddings");
        }
        String words = String.join(" and ", may) + ", with "
                + (packDigests.isEmpty() ? "any installed model" : String.join(", ",
                packDigests.stream().map(packName).toList()));
        if (operations.contains(Operation.GENERATE) && !sources.isEmpty()) {
            words += "; ask about " + String.join(", ", sources.stream().map(Path::toString).toList());
        }
        return words;
    }
}
