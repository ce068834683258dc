package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MalformedRecordException;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.net.KnownPeers;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.crypto.CrockfordBase32;
import org.sovereign.store.vault.crypto.Hex;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * An invitation to a cooperative (docs/mesh.md, "Invitations"). A steward draws a random secret; the Ed25519 key
 * derived from it is published in a signed {@code coop.invite} record, so whoever holds the secret can prove it, bound
 * to their own key, without ever sending it. Two forms:
 *
 * <ul>
 *     <li>the <b>invite file</b>: canonical JSON holding the genesis record, the steward's invite record (expiry and
 *     peers included) and the secret; everything is checked offline before anything is sent;</li>
 *     <li>the <b>short code</b> {@code COOP@HOST:PORT/XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX}: the secret,
 *     the first 10 bytes of the genesis hash and a check over all of it; the genesis and the invite record are
 *     fetched from the peer and checked against it before the join request is sent.</li>
 * </ul>
 */
public final class Invite {
    /** The {@code format} member of an invite file. */
    public static final String FORMAT = "sovereign-mesh-invite/v1";
    /** Length of the secret in bytes. */
    public static final int SECRET_BYTES = 12;
    /** How many bytes of the genesis hash a short code carries. */
    public static final int GENESIS_PREFIX_BYTES = 10;
    private static final int CHECK_BYTES = 3;
    private static final String KEY_DOMAIN = "sovereign-mesh-invite-key/v1\n";
    private static final String CODE_DOMAIN = "sovereign-mesh-invite-code/v1\n";

    private final String coop;
    private final List<String> peers;
    private final byte[] secret;
    private final byte[] genesisPrefix;
    private final Genesis genesis;
    private final LogRecord record;

    private Invite(String coop, List<String> peers, byte[] secret, byte[] genesisPrefix, Genesis genesis,
                   LogRecord record) {
        this.coop = coop;
        this.peers = List.copyOf(peers);
        this.secret = secret.clone();
        this.genesisPrefix = genesisPrefix.clone();
        this.genesis = genesis;
        this.record = record;
    }

    /**
     * A steward invites: draws a secret and appends the invite record to its own log ({@code log}'s author must be a
     * steward of {@code genesis}).
     *
     * @param peers   where the invited member connects first ({@code host:port}, at least one)
     * @param expires until when the invite may be used, ms since 1970 (stewards check it with their own clocks)
     */
    public static Invite issue(MeshLog log, Genesis genesis, List<String> peers, long expires) {
        if (!genesis.stewards().contains(log.self())) {
            throw new IllegalArgumentException("Only a steward of the cooperative can invite.");
        }
        if (peers.isEmpty()) {
            throw new IllegalArgumentException("An invite names at least one peer to contact.");
        }
        List<String> checked = peers.stream().map(KnownPeers::parse).toList();
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        String key = Hex.encode(signer(secret).publicKey());
        LogRecord record = log.append(MembershipRecords.INVITE, MembershipRecords.VERSION,
                MembershipRecords.invite(genesis.hash(), key, expires, checked));
        return new Invite(genesis.coop(), checked, secret, prefix(genesis.hash()), genesis, record);
    }

    /** The invite key of {@code secret}: an Ed25519 key whose seed is SHA-256 of a domain line and the secret. */
    static RecordSigner signer(byte[] secret) {
        byte[] seed = sha256(KEY_DOMAIN.getBytes(StandardCharsets.US_ASCII), secret);
        try {
            return RecordSigner.of(Ed25519Keys.keyPairFromSeed(seed));
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /** The key whose signature proves this invite is held. */
    public RecordSigner signer() {
        return signer(secret);
    }

    /** The invite key, hex: what the steward's invite record names and what an admission uses as its nonce. */
    public String key() {
        return Hex.encode(signer().publicKey());
    }

    public String coop() {
        return coop;
    }

    /** The peers to contact first. */
    public List<String> peers() {
        return peers;
    }

    /** The checked genesis: present for an invite file, and for a short code once {@link #completedWith} ran. */
    public Optional<Genesis> genesis() {
        return Optional.ofNullable(genesis);
    }

    /** The steward's invite record, when known. */
    public Optional<LogRecord> record() {
        return Optional.ofNullable(record);
    }

    /** Until when the invite may be used (ms since 1970), when the record is known. */
    public Optional<Long> expires() {
        return record().map(r -> r.body().get("expires").asLong());
    }

    /** Whether the genesis and invite record are known and checked (always for a file). */
    public boolean complete() {
        return genesis != null && record != null;
    }

    // ---------------------------------------------------------------- the file

    /** The invite file's bytes: canonical JSON with {@code format}, {@code genesis}, {@code invite}, {@code secret}. */
    public byte[] toFile() {
        if (!complete()) {
            throw new IllegalStateException("Only a complete invite can be written to a file.");
        }
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("format", FORMAT);
        node.set("genesis", json(genesis.record()));
        node.set("invite", json(record));
        node.put("secret", Hex.encode(secret));
        return CanonicalJson.of(node);
    }

    private static JsonNode json(LogRecord r) {
        try {
            return CanonicalJson.MAPPER.readTree(r.wire());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads and checks an invite file: the genesis (signed by one of its stewards), the invite record (signed by a
     * steward of that genesis, naming it), and that the secret's key is the one the record names. Expiry is left to
     * the caller's clock.
     *
     * @throws IllegalArgumentException saying in a plain sentence what is wrong
     */
    public static Invite readFile(byte[] bytes) {
        JsonNode node;
        try {
            node = CanonicalJson.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IllegalArgumentException("This is not an invite file (it is not JSON).");
        }
        if (node == null || !MembershipRecords.hasExactly(node, "format", "genesis", "invite", "secret")
                || !FORMAT.equals(node.get("format").asText()) || !node.get("secret").isTextual()) {
            throw new IllegalArgumentException("This is not an invite file of this version.");
        }
        byte[] secret;
        try {
            secret = Hex.decode(node.get("secret").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The invite's secret is not readable.");
        }
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("The invite's secret has the wrong length.");
        }
        LogRecord genesisRecord = record(node.get("genesis"), "genesis");
        LogRecord inviteRecord = record(node.get("invite"), "invitation");
        Genesis genesis = Genesis.parse(genesisRecord);
        Invite partial = new Invite(genesis.coop(), List.of(), secret, prefix(genesis.hash()), null, null);
        return partial.completedWith(genesisRecord, inviteRecord);
    }

    private static LogRecord record(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("The invite file holds no " + what + " record.");
        }
        try {
            return LogRecord.parse(CanonicalJson.of(node));
        } catch (MalformedRecordException e) {
            throw new IllegalArgumentException("The invite's " + what + " record is not valid: " + e.getMessage());
        }
    }

    /**
     * This invite with its genesis and invite record, once checked: the genesis must be valid, name this cooperative
     * and (for a short code) begin with the code's genesis prefix; the invite record must be validly signed by one of
     * its stewards, name that genesis and this invite's key.
     *
     * @throws IllegalArgumentException saying what does not match
     */
    public Invite completedWith(LogRecord genesisRecord, LogRecord inviteRecord) {
        Genesis g = Genesis.parse(genesisRecord);
        if (!g.coop().equals(coop)) {
            throw new IllegalArgumentException("The genesis is of cooperative '" + g.coop() + "', not '" + coop + "'.");
        }
        if (!MessageDigest.isEqual(prefix(g.hash()), genesisPrefix)) {
            throw new IllegalArgumentException("The cooperative's genesis does not match the invite.");
        }
        if (!inviteRecord.type().equals(MembershipRecords.INVITE) || !inviteRecord.coop().equals(coop)
                || !inviteRecord.signatureValid() || !g.stewards().contains(inviteRecord.author())) {
            throw new IllegalArgumentException("The invitation was not signed by a steward of the cooperative.");
        }
        Membership check = Membership.of(g, List.of(genesisRecord, inviteRecord), java.util.Set.of());
        Membership.Invitation invitation = check.invitations().get(key());
        if (invitation == null) {
            throw new IllegalArgumentException(check.refusals().getOrDefault(inviteRecord.hash(),
                    "The invitation is for another secret."));
        }
        List<String> listed = new ArrayList<>();
        inviteRecord.body().get("peers").forEach(p -> listed.add(p.asText()));
        List<String> all = new ArrayList<>(peers);
        listed.stream().filter(p -> !all.contains(p)).forEach(all::add);
        return new Invite(coop, all, secret, genesisPrefix, g, inviteRecord);
    }

    // ---------------------------------------------------------------- the short code

    /** The short code, with the first peer: {@code COOP@HOST:PORT/} and eight groups of five symbols. */
    public String shortCode() {
        String peer = peers.get(0);
        byte[] payload = new byte[SECRET_BYTES + GENESIS_PREFIX_BYTES + CHECK_BYTES];
        System.arraycopy(secret, 0, payload, 0, SECRET_BYTES);
        System.arraycopy(genesisPrefix, 0, payload, SECRET_BYTES, GENESIS_PREFIX_BYTES);
        System.arraycopy(check(coop, peer, payload), 0, payload, SECRET_BYTES + GENESIS_PREFIX_BYTES, CHECK_BYTES);
        StringBuilder out = new StringBuilder(coop + "@" + peer + "/");
        int symbols = payload.length * 8 / 5;
        for (int i = 0; i < symbols; i++) {
            if (i > 0 && i % 5 == 0) {
                out.append('-');
            }
            out.append(CrockfordBase32.symbol(payload, i * 5));
        }
        return out.toString();
    }

    /** Whether {@code text} looks like a short code (and not a file name). */
    public static boolean looksLikeCode(String text) {
        return text.indexOf('@') > 0 && text.indexOf('/', text.indexOf('@')) > 0;
    }

    /**
     * Reads a short code as typed (case, dashes and spaces in the symbols do not matter; I and L read as 1, O as 0) and
     * checks its check bytes, which cover the cooperative, the peer and the symbols.
     *
     * @throws IllegalArgumentException saying what is wrong (a typo, a wrong length)
     */
    public static Invite parseCode(String typed) {
        String text = typed.strip();
        int at = text.indexOf('@');
        int slash = at < 0 ? -1 : text.indexOf('/', at);
        if (at <= 0 || slash < 0) {
            throw new IllegalArgumentException("A short code reads COOP@HOST:PORT/ followed by eight groups of five "
                    + "letters and digits.");
        }
        String coop = text.substring(0, at);
        String peer;
        try {
            peer = KnownPeers.parse(text.substring(at + 1, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("The short code's peer: " + e.getMessage());
        }
        int symbols = (SECRET_BYTES + GENESIS_PREFIX_BYTES + CHECK_BYTES) * 8 / 5;
        byte[] payload = new byte[SECRET_BYTES + GENESIS_PREFIX_BYTES + CHECK_BYTES];
        int n = 0;
        for (char c : text.substring(slash + 1).toCharArray()) {
            if (c == '-' || c == ' ') {
                continue;
            }
            int v = CrockfordBase32.value(c);
            if (v < 0) {
                throw new IllegalArgumentException("The short code contains '" + c + "', which is not one of its "
                        + "letters or digits.");
            }
            if (n == symbols) {
                throw new IllegalArgumentException("The short code is too long: it has " + symbols + " letters and digits "
                        + "after the slash.");
            }
            CrockfordBase32.put(payload, n, v);
            n++;
        }
        if (n != symbols) {
            throw new IllegalArgumentException("The short code is too short: it has " + symbols
                    + " letters and digits after the slash, " + n + " were given.");
        }
        byte[] body = Arrays.copyOf(payload, SECRET_BYTES + GENESIS_PREFIX_BYTES);
        byte[] expected = check(coop, peer, payload);
        if (!MessageDigest.isEqual(expected, Arrays.copyOfRange(payload, body.length, payload.length))) {
            throw new IllegalArgumentException("The short code has a typo (its check does not match). Compare it with "
                    + "the one you were given, group by group.");
        }
        return new Invite(coop, List.of(peer), Arrays.copyOf(body, SECRET_BYTES),
                Arrays.copyOfRange(body, SECRET_BYTES, body.length), null, null);
    }

    private static byte[] check(String coop, String peer, byte[] payload) {
        byte[] text = (CODE_DOMAIN + coop + "\n" + peer + "\n").getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(sha256(text, Arrays.copyOf(payload, SECRET_BYTES + GENESIS_PREFIX_BYTES)), CHECK_BYTES);
    }

    private static byte[] prefix(String genesisHash) {
        return Arrays.copyOf(Hex.decode(genesisHash), GENESIS_PREFIX_BYTES);
    }

    private static byte[] sha256(byte[] a, byte[] b) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(a);
            sha.update(b);
            return sha.digest();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
