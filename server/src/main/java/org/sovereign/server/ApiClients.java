package org.sovereign.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.consent.GrantRequest;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.ConsentStatus;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.Scope;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * The programs allowed to use the local API: registering one (a consent that binds it and a key shown once, stored only
 * as its SHA-256), listing, revoking (its consent is withdrawn with it), and checking a key and a call against the
 * client's consent. Clients live encrypted in the vault (scope kind {@code api-clients}); adding and revoking are
 * audited. Thread-safe.
 */
public final class ApiClients {

    /** Audit entry types. */
    public static final String CLIENT_ADDED = "api.client_added";
    public static final String CLIENT_REVOKED = "api.client_revoked";

    static final String SCOPE_KIND = "api-clients";
    static final String ITEM_KIND = "client";
    /** Every key starts so, to be recognisable in a configuration file. */
    static final String KEY_PREFIX = "sov-";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /**
     * The stored clients {@link #authenticate} compares keys with, per open store, shared by every {@code ApiClients}
     * of that store (the server's, a window's, a console's). Filled from the vault on first use and dropped, under the
     * same lock, after every {@link #add} and {@link #revoke} has written: a key revoked is refused on the very next
     * call. Only these two methods write the clients' items, and no other process can while this one holds the vault.
     */
    private static final Map<LocalStore, Snapshot> SNAPSHOTS = Collections.synchronizedMap(new WeakHashMap<>());

    private final UnlockedWorkspace workspace;
    private final Clock clock;

    public ApiClients(UnlockedWorkspace workspace, Clock clock) {
        this.workspace = workspace;
        this.clock = clock;
    }

    /**
     * What a new client may do.
     *
     * @param name        what the person calls the program, 1 to 64 letters, digits, spaces, dots, dashes or underscores
     * @param operations  {@link Operation#GENERATE} (chat completions and asking), {@link Operation#EMBED}, or both
     * @param packDigests the packs it may use ({@code sha256:...}); empty for any installed pack
     * @param sources     the library folders it may ask about; empty for none
     * @param validDays   how long its consent lasts
     */
    public record ClientGrant(String name, Set<Operation> operations, List<String> packDigests, List<Path> sources,
                              int validDays) {
        public ClientGrant {
            name = name == null ? "" : name.strip();
            operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
            packDigests = List.copyOf(packDigests);
            sources = List.copyOf(sources);
        }
    }

    /**
     * A registered client and its key. The key is shown to the person once and never stored: wipe it
     * ({@link #wipe()}) once shown.
     */
    public record Registration(ApiClient client, char[] key) {
        public void wipe() {
            Arrays.fill(key, '\0');
        }
    }

    /** The purpose a client's consent is given for. */
    static String purposeOf(String name) {
        return "local API: " + name;
    }

    /**
     * Registers a client: signs its consent, stores it with the hash of a new random key, records
     * {@code api.client_added}, and returns the key (the only time it exists in the clear).
     *
     * @throws UserFacingException for a bad name, a name another client still uses, or terms that cannot be granted
     */
    public synchronized Registration add(ClientGrant grant) {
        String name = grant.name();
        if (name.isEmpty() || name.length() > 64 || !name.matches("[\\p{L}\\p{N} ._-]+")) {
            throw new UserFacingException("A client's name is 1 to 64 letters, digits, spaces, dots, dashes or "
                    + "underscores.");
        }
        if (list().stream().anyMatch(c -> !c.isRevoked() && c.name().equalsIgnoreCase(name))) {
            throw new UserFacingException("A client called '" + name + "' is already registered; revoke it first or "
                    + "choose another name.");
        }
        if (grant.operations().isEmpty() || grant.operations().stream()
                .anyMatch(op -> op != Operation.GENERATE && op != Operation.EMBED)) {
            throw new UserFacingException("A client may generate text, compute embeddings, or both.");
        }
        String id = HexFormat.of().formatHex(randomBytes(6));
        GrantRequest request = new GrantRequest(List.of(purposeOf(name)), grant.operations(), grant.sources(),
                grant.packDigests(), grant.validDays()).withNotice(notice(grant));
        ConsentHistory consent = workspace.consents().grantForClient(request, "api-client/" + id);
        byte[] secret = randomBytes(32);
        char[] key = (KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret)).toCharArray();
        Arrays.fill(secret, (byte) 0);
        ApiClient client = new ApiClient(id, name, consent.recordId(), clock.instant(), null);
        byte[] item = toJson(client, hash(key));
        try {
            store().session().putItem(scope(), ITEM_KIND, item);
        } finally {
            Arrays.fill(item, (byte) 0);
            snapshot().drop();
        }
        store().record(CLIENT_ADDED, Map.of("client", id, "consent", consent.recordId()));
        return new Registration(client, key);
    }

    /** Every client ever registered, revoked ones included, oldest first. */
    public List<ApiClient> list() {
        List<ApiClient> out = new ArrayList<>();
        stored().forEach(s -> out.add(s.client()));
        return out;
    }

    /**
     * Revokes the client named {@code nameOrId} (its name or id): its key stops working at once and its consent is
     * withdrawn (if still in force). Recorded as {@code api.client_revoked}.
     *
     * @throws UserFacingException when no client that may still call has that name or id
     */
    public synchronized ApiClient revoke(String nameOrId) {
        Stored found = stored().stream().filter(s -> !s.client().isRevoked())
                .filter(s -> s.client().id().equals(nameOrId) || s.client().name().equalsIgnoreCase(nameOrId))
                .findFirst()
                .orElseThrow(() -> new UserFacingException("No client called '" + nameOrId + "' may use the local API."));
        ApiClient revoked = new ApiClient(found.client().id(), found.client().name(), found.client().consentId(),
                found.client().created(), clock.instant());
        byte[] item = toJson(revoked, found.keyHash());
        try {
            store().session().inTransaction(() -> {
                store().session().putItem(scope(), ITEM_KIND, item);
                store().session().deleteItem(found.itemId());
            });
        } finally {
            Arrays.fill(item, (byte) 0);
            snapshot().drop();
        }
        try {
            if (store().consent().history(revoked.consentId()).latest().status().allowsProcessing()) {
                workspace.consents().withdraw(revoked.consentId(), false);
            }
        } catch (IllegalArgumentException | UserFacingException alreadyGone) {
            // nothing left to withdraw
        }
        store().record(CLIENT_REVOKED, Map.of("client", revoked.id(), "consent", revoked.consentId()));
        return revoked;
    }

    /**
     * The client whose key is {@code key}, revoked or not; empty for a key no client has. Compares the key's hash with
     * every stored hash in constant time.
     */
    public Optional<ApiClient> authenticate(char[] key) {
        byte[] hash = hash(key);
        ApiClient match = null;
        for (Stored s : snapshot().stored(this::stored)) {
            if (MessageDigest.isEqual(hash, s.keyHash()) && match == null) {
                match = s.client();
            }
        }
        return Optional.ofNullable(match);
    }

    /**
     * The terms of {@code client}'s consent if they cover {@code operation} with the pack {@code packDigest} now.
     *
     * @throws ApiError 401 for a revoked client, 403 when the consent was withdrawn, expired or does not cover it
     */
    public ConsentTerms authorize(ApiClient client, Operation operation, String packDigest) {
        if (client.isRevoked()) {
            throw ApiError.unauthorized("This client's key was revoked on " + DAY.format(client.revoked())
                    + "; register the program again to give it a new key.");
        }
        ConsentHistory history;
        try {
            history = store().consent().history(client.consentId());
        } catch (RuntimeException e) {
            throw ApiError.forbidden("consent_missing", "The consent for this client cannot be read, so it may not use "
                    + "the local API.");
        }
        Instant now = clock.instant();
        ConsentStatus status = history.statusAt(now);
        ConsentTerms terms = history.terms();
        if (status == ConsentStatus.WITHDRAWN) {
            throw ApiError.forbidden("consent_withdrawn", "The consent for '" + client.name() + "' was withdrawn on "
                    + DAY.format(history.latest().time()) + ", so it may not use the local API any more.");
        }
        if (status == ConsentStatus.EXPIRED || !history.activeAt(now)) {
            throw ApiError.forbidden("consent_expired", "The consent for '" + client.name() + "' ended on "
                    + DAY.format(terms.validUntil()) + "; give it a new one to use the local API again.");
        }
        if (operation != null && !terms.operations().contains(operation)) {
            throw ApiError.forbidden("operation_not_allowed", "The consent for '" + client.name() + "' does not allow it to "
                    + (operation == Operation.EMBED ? "compute embeddings." : "generate text."));
        }
        if (packDigest != null && !terms.anyPack() && !terms.packDigests().contains(packDigest)) {
            throw ApiError.forbidden("model_not_allowed", "The consent for '" + client.name()
                    + "' does not allow this model.");
        }
        return terms;
    }

    /** Whether {@code client}'s consent allows the pack {@code packDigest} (any operation). */
    boolean allowsPack(ApiClient client, String packDigest) {
        try {
            ConsentTerms t = store().consent().history(client.consentId()).terms();
            return t.anyPack() || t.packDigests().contains(packDigest);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String notice(ClientGrant grant) {
        List<String> may = new ArrayList<>();
        if (grant.operations().contains(Operation.GENERATE)) {
            may.add("generate text");
        }
        if (grant.operations().contains(Operation.EMBED)) {
            may.add("compute embeddings");
        }
        String ask = grant.sources().isEmpty() || !grant.operations().contains(Operation.GENERATE) ? ""
                : ", and to answer its questions from the documents in "
                + String.join(", ", grant.sources().stream().map(Path::toString).toList());
        return "You allow the program you call '" + grant.name() + "' to use this workstation's local API, on this "
                + "computer, to " + String.join(" and ", may) + ask + ", using "
                + (grant.packDigests().isEmpty() ? "any installed model pack" : "the model packs "
                + String.join(", ", grant.packDigests())) + ", for " + grant.validDays()
                + (grant.validDays() == 1 ? " day" : " days") + ". Each call it makes is recorded in the audit log "
                + "without its text. Revoking the client or withdrawing this consent stops it at once.";
    }

    private record Stored(long itemId, ApiClient client, byte[] keyHash) {
    }

    /** The clients as last read from the vault, or nothing until they are read again. */
    private static final class Snapshot {
        private List<Stored> stored;

        synchronized List<Stored> stored(Supplier<List<Stored>> read) {
            if (stored == null) {
                stored = List.copyOf(read.get());
            }
            return stored;
        }

        /** Called after a write has committed (or failed): the next read goes to the vault. */
        synchronized void drop() {
            stored = null;
        }
    }

    /** The store's snapshot; made on first use, and forgotten when the vault locks (no key hash outlives it). */
    private Snapshot snapshot() {
        LocalStore store = store();
        Snapshot snapshot;
        synchronized (SNAPSHOTS) {
            snapshot = SNAPSHOTS.get(store);
            if (snapshot != null) {
                return snapshot;
            }
            snapshot = new Snapshot();
            SNAPSHOTS.put(store, snapshot);
        }
        Snapshot made = snapshot;
        store.session().onLock(() -> {
            SNAPSHOTS.remove(store);
            made.drop();
        });
        return snapshot;
    }

    private List<Stored> stored() {
        Optional<Long> scope = existingScope();
        if (scope.isEmpty()) {
            return List.of();
        }
        List<Stored> out = new ArrayList<>();
        store().session().readItems(scope.get(), ITEM_KIND, (bytes, itemId) -> out.add(fromJson(itemId, bytes)));
        return out;
    }

    private Optional<Long> existingScope() {
        return store().session().scopes().stream()
                .filter(s -> s.kind().equals(SCOPE_KIND) && s.erasedAt().isEmpty())
                .map(Scope::id).findFirst();
    }

    private long scope() {
        return existingScope().orElseGet(() -> store().session().createScope(SCOPE_KIND).id());
    }

    private LocalStore store() {
        return workspace.store();
    }

    private static byte[] toJson(ApiClient c, byte[] keyHash) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", c.id());
        o.put("name", c.name());
        o.put("consent", c.consentId());
        o.put("created", c.created().toString());
        if (c.revoked() != null) {
            o.put("revoked", c.revoked().toString());
        }
        o.put("keySha256", HexFormat.of().formatHex(keyHash));
        try {
            return JSON.writeValueAsBytes(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Stored fromJson(long itemId, byte[] bytes) {
        try {
            JsonNode o = JSON.readTree(bytes);
            ApiClient c = new ApiClient(o.path("id").asText(), o.path("name").asText(), o.path("consent").asText(),
                    Instant.parse(o.path("created").asText()),
                    o.hasNonNull("revoked") ? Instant.parse(o.get("revoked").asText()) : null);
            return new Stored(itemId, c, HexFormat.of().parseHex(o.path("keySha256").asText()));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("A stored local API client could not be read.", e);
        }
    }

    /** SHA-256 of the key's UTF-8 bytes (the key is 256 random bits, so no salt is needed). */
    static byte[] hash(char[] key) {
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(key));
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        try {
            return MessageDigest.getInstance("SHA-256").digest(raw);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
