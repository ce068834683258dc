package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.crypto.Hex;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The membership record types and their bodies (docs/mesh.md, "Membership"), all version 1: {@value #GENESIS},
 * {@value #INVITE}, {@value #ADMIT}, {@value #REMOVE} and {@value #LEAVE}. An admission or a removal is a
 * <em>statement</em> (canonical JSON) that stewards sign one by one; the signatures travel in records and are counted
 * by {@link Membership}, however many records carry them.
 */
public final class MembershipRecords {
    /** A cooperative's first record: its name, initial stewards and steward threshold. */
    public static final String GENESIS = "coop.genesis";
    /** A steward's invitation: the public key derived from an invite's secret, and until when it may be used. */
    public static final String INVITE = "coop.invite";
    /** An admission statement with steward signatures. */
    public static final String ADMIT = "coop.admit";
    /** A removal statement with steward signatures. */
    public static final String REMOVE = "coop.remove";
    /** A member's own record that it leaves. */
    public static final String LEAVE = "coop.leave";
    /** The set of membership record types. */
    public static final Set<String> TYPES = Set.of(GENESIS, INVITE, ADMIT, REMOVE, LEAVE);
    /** The version of every body here. */
    public static final int VERSION = 1;

    /** Prefix of the bytes a steward signs for an admission. */
    public static final String ADMISSION_DOMAIN = "sovereign-mesh-admission/v1\n";
    /** Prefix of the bytes a steward signs for a removal. */
    public static final String REMOVAL_DOMAIN = "sovereign-mesh-removal/v1\n";
    /** The most stewards a genesis may name. */
    public static final int MAX_STEWARDS = 64;

    static final Pattern HEX_32 = Pattern.compile("[0-9a-f]{64}");
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private MembershipRecords() {
    }

    /** The body of a genesis record. */
    public static ObjectNode genesis(String name, Collection<String> stewards, int k) {
        ObjectNode body = JSON.objectNode();
        body.put("k", k);
        body.put("name", name);
        ArrayNode list = body.putArray("stewards");
        new TreeSet<>(stewards).forEach(list::add);
        return body;
    }

    /**
     * The body of an invite record: the invite's public key, the genesis it belongs to, its end (ms since 1970) and the
     * peers ({@code host:port}) the invited member contacts first.
     */
    public static ObjectNode invite(String genesisHash, String inviteKey, long expires, Collection<String> peers) {
        ObjectNode body = JSON.objectNode();
        body.put("expires", expires);
        body.put("genesis", genesisHash);
        body.put("key", inviteKey);
        ArrayNode list = body.putArray("peers");
        peers.forEach(list::add);
        return body;
    }

    /**
     * An admission statement.
     *
     * @param after every removal and leave of {@code member} the signers know of (their statement or record hashes):
     *              an admission counts only if it names each one held, so an old admission cannot be replayed after a
     *              removal or a leave
     * @param nonce what makes this admission unique (the invite's key, or random hex)
     */
    public static ObjectNode admission(String coop, String genesisHash, String member, String name, String nonce,
                                       Collection<String> after) {
        ObjectNode s = JSON.objectNode();
        ArrayNode list = s.putArray("after");
        new TreeSet<>(after).forEach(list::add);
        s.put("coop", coop);
        s.put("genesis", genesisHash);
        s.put("member", member);
        s.put("name", name);
        s.put("nonce", nonce);
        return s;
    }

    /** A removal statement: stewards remove {@code member} (a plain reason is shown to members). */
    public static ObjectNode removal(String coop, String genesisHash, String member, String reason) {
        ObjectNode s = JSON.objectNode();
        s.put("coop", coop);
        s.put("genesis", genesisHash);
        s.put("member", member);
        s.put("reason", reason);
        return s;
    }

    /** The body of a leave record (written by the member who leaves). */
    public static ObjectNode leave(String genesisHash) {
        ObjectNode body = JSON.objectNode();
        body.put("genesis", genesisHash);
        return body;
    }

    /** A steward's signature over an admission or removal statement: the domain, then the statement's canonical JSON. */
    public static byte[] signStatement(RecordSigner steward, String domain, ObjectNode statement) {
        return steward.sign(signedBytes(domain, statement));
    }

    /**
     * The body of an admit or remove record: the statement and the stewards' signatures over it, an object from
     * steward key (hex) to signature (base64).
     */
    public static ObjectNode signed(ObjectNode statement, Map<String, byte[]> signatures) {
        ObjectNode body = JSON.objectNode();
        ObjectNode sigs = body.putObject("signatures");
        new TreeMap<>(signatures).forEach((k, v) -> sigs.put(k, Base64.getEncoder().encodeToString(v)));
        body.set("statement", statement.deepCopy());
        return body;
    }

    /** As {@link #signed(ObjectNode, Map)} with one steward's signature, made here. */
    public static ObjectNode signedBy(RecordSigner steward, String domain, ObjectNode statement) {
        return signed(statement, Map.of(Hex.encode(steward.publicKey()), signStatement(steward, domain, statement)));
    }

    static byte[] signedBytes(String domain, JsonNode statement) {
        byte[] json = CanonicalJson.of(statement);
        byte[] prefix = domain.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[prefix.length + json.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 0, out, prefix.length, json.length);
        return out;
    }

    /** SHA-256 of a statement's canonical JSON, lower-case hex: how removals and leaves are named. */
    public static String statementHash(JsonNode statement) {
        return Hex.encode(sha256(CanonicalJson.of(statement)));
    }

    /** Whether {@code signature} is {@code key}'s valid signature over the statement under {@code domain}. */
    static boolean verify(String key, String domain, JsonNode statement, byte[] signature) {
        try {
            return Ed25519Keys.verify(Hex.decode(key), signedBytes(domain, statement), signature);
        } catch (RuntimeException notAKey) {
            return false;
        }
    }

    /** Whether {@code node} is an object with exactly {@code names} as members. */
    static boolean hasExactly(JsonNode node, String... names) {
        if (node == null || !node.isObject() || node.size() != names.length) {
            return false;
        }
        Set<String> want = Set.of(names);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            if (!want.contains(it.next())) {
                return false;
            }
        }
        return true;
    }

    static boolean isKey(JsonNode node) {
        return node != null && node.isTextual() && HEX_32.matcher(node.asText()).matches();
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
        }
    }
}
