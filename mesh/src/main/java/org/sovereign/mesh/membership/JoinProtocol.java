package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.net.MeshNode;
import org.sovereign.store.json.CanonicalJson;
import org.sovereign.store.vault.crypto.Hex;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The joining messages beside anti-entropy (docs/mesh.md, "Joining"): a byte {@code 0x4A}, a kind byte, then canonical
 * JSON. {@code HELLO} (a joiner with a short code asks for the genesis and invite record of its invite key),
 * {@code INVITE} (a member that holds them answers), {@code REQUEST} (the joiner's request, signed by the invite key
 * and by the joiner's own key). A steward that issued the invite answers a valid request by signing an admission
 * statement and appending it to its log; the request itself is never a log record, so nothing of an unadmitted key
 * enters any log. One instance serves one member in whichever role it has.
 */
public final class JoinProtocol implements MeshNode.Extension {
    /** The first byte of every joining message. */
    public static final byte MAGIC = 0x4A;
    static final byte HELLO = 1;
    static final byte INVITE = 2;
    static final byte REQUEST = 3;
    /** Prefix of the bytes the invite key and the joiner sign. */
    public static final String REQUEST_DOMAIN = "sovereign-mesh-join/v1\n";
    /** The longest name a joiner may give, in characters. */
    public static final int MAX_NAME = 100;

    private final MeshLog log;
    private final MembershipGate gate;
    private final LongSupplier clock;
    private final RecordSigner self;
    private final String selfName;
    private volatile Invite invite;
    private final CountDownLatch inviteComplete = new CountDownLatch(1);
    private final Set<String> signed = ConcurrentHashMap.newKeySet();
    private final Map<String, String> refusedRequests = new ConcurrentHashMap<>();
    private final AtomicLong refusedCount = new AtomicLong();

    /**
     * @param log      this member's log (its store behind {@code gate})
     * @param gate     this member's membership gate
     * @param self     this member's key (the one that signs its log)
     * @param clock    milliseconds since 1970, to check an invitation's expiry
     * @param invite   the invite this member joins with, or {@code null} for a member already in
     * @param selfName the name this member asks to be admitted under (ignored without an invite)
     */
    public JoinProtocol(MeshLog log, MembershipGate gate, RecordSigner self, LongSupplier clock, Invite invite,
                        String selfName) {
        this.log = Objects.requireNonNull(log, "log");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.self = Objects.requireNonNull(self, "self");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.invite = invite;
        this.selfName = selfName == null ? "" : selfName;
        if (invite != null && invite.complete()) {
            inviteComplete.countDown();
        }
    }

    @Override
    public boolean handles(byte[] bytes) {
        return bytes[0] == MAGIC;
    }

    // ---------------------------------------------------------------- the joiner

    /** The HELLO message of this member's invite (a short code's: asks for the genesis and invite record). */
    public byte[] hello() {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("key", invite.key());
        return message(HELLO, body);
    }

    /** The invite, completed once the genesis and invite record are known and checked. */
    public Invite invite() {
        return invite;
    }

    /** Waits until the invite is complete (at once for an invite file); returns whether it is. */
    public boolean awaitInvite(java.time.Duration timeout) throws InterruptedException {
        return inviteComplete.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The join request: this member's key and name, signed by the invite key and by this member. */
    public byte[] request() {
        Invite i = invite;
        if (!i.complete()) {
            throw new IllegalStateException("The invite is not complete yet.");
        }
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        request.put("coop", i.coop());
        request.put("genesis", i.genesis().orElseThrow().hash());
        request.put("invite", i.key());
        request.put("member", Hex.encode(self.publicKey()));
        request.put("name", selfName);
        byte[] signedBytes = MembershipRecords.signedBytes(REQUEST_DOMAIN, request);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("byInvite", Base64.getEncoder().encodeToString(i.signer().sign(signedBytes)));
        body.put("byMember", Base64.getEncoder().encodeToString(self.sign(signedBytes)));
        body.set("request", request);
        return message(REQUEST, body);
    }

    // ---------------------------------------------------------------- receiving

    @Override
    public void receive(MeshNode node, Object from, byte[] bytes) {
        if (bytes.length < 2) {
            return;
        }
        JsonNode body;
        try {
            body = CanonicalJson.MAPPER.readTree(Arrays.copyOfRange(bytes, 2, bytes.length));
        } catch (IOException e) {
            return;
        }
        if (body == null || !body.isObject()) {
            return;
        }
        switch (bytes[1]) {
            case HELLO -> answerHello(node, from, body);
            case INVITE -> completeInvite(body);
            case REQUEST -> {
                String problem = admit(node, body);
                if (problem != null) {
                    refusedCount.incrementAndGet();
                    JsonNode member = body.path("request").path("member");
                    refusedRequests.put(member.isTextual() ? member.asText() : "", problem);
                }
            }
            default -> {
                // an unknown kind: ignored
            }
        }
    }

    private void answerHello(MeshNode node, Object from, JsonNode body) {
        Optional<Membership> m = gate.membership();
        if (m.isEmpty() || !body.path("key").isTextual()) {
            return;
        }
        Membership.Invitation invitation = m.get().invitations().get(body.get("key").asText());
        if (invitation == null) {
            return;
        }
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("genesis", Base64.getEncoder().encodeToString(m.get().genesis().record().wire()));
        reply.put("invite", Base64.getEncoder().encodeToString(invitation.record().wire()));
        node.sendExtra(from, message(INVITE, reply));
    }

    private void completeInvite(JsonNode body) {
        Invite i = invite;
        if (i == null || i.complete()) {
            return;
        }
        try {
            Invite done = i.completedWith(LogRecord.parse(Base64.getDecoder().decode(body.path("genesis").asText())),
                    LogRecord.parse(Base64.getDecoder().decode(body.path("invite").asText())));
            invite = done;
            gate.trust(done.genesis().orElseThrow());
            inviteComplete.countDown();
        } catch (RuntimeException e) {
            refusedCount.incrementAndGet(); // a peer that sent a genesis or invitation that does not match
        }
    }

    /** Checks a join request and, if this member is the steward that issued its invite, admits; null or why not. */
    private String admit(MeshNode node, JsonNode body) {
        Optional<Membership> current = gate.membership();
        if (current.isEmpty()) {
            return "This member does not know its cooperative yet.";
        }
        Membership m = current.get();
        if (!MembershipRecords.hasExactly(body, "byInvite", "byMember", "request")) {
            return "The request is not well formed.";
        }
        JsonNode request = body.get("request");
        if (!MembershipRecords.hasExactly(request, "coop", "genesis", "invite", "member", "name")
                || !MembershipRecords.isKey(request.get("member")) || !MembershipRecords.isKey(request.get("invite"))
                || !request.get("name").isTextual() || request.get("name").asText().length() > MAX_NAME) {
            return "The request is not well formed.";
        }
        if (!request.get("coop").asText().equals(m.genesis().coop())
                || !request.get("genesis").asText().equals(m.genesis().hash())) {
            return "The request is for another cooperative.";
        }
        String member = request.get("member").asText();
        String key = request.get("invite").asText();
        byte[] signedBytes = MembershipRecords.signedBytes(REQUEST_DOMAIN, request);
        if (!verify(key, signedBytes, body.get("byInvite")) || !verify(member, signedBytes, body.get("byMember"))) {
            return "The request's signatures do not verify.";
        }
        if (m.admits(member)) {
            return null;
        }
        Membership.Invitation invitation = m.invitations().get(key);
        if (invitation == null) {
            return "No steward issued that invitation.";
        }
        if (clock.getAsLong() > invitation.expires()) {
            return "The invitation has expired.";
        }
        if (m.nonceUsed(key)) {
            return "The invitation was already used.";
        }
        if (!invitation.issuer().equals(log.self())) {
            return null; // another steward's invitation: that steward admits (others co-sign with 'mesh admit')
        }
        String name = request.get("name").asText().chars().anyMatch(Character::isISOControl) ? ""
                : request.get("name").asText();
        ObjectNode statement = MembershipRecords.admission(m.genesis().coop(), m.genesis().hash(), member, name, key,
                m.revocationsOf(member));
        if (signed.add(MembershipRecords.statementHash(statement))) {
            node.append(MembershipRecords.ADMIT, MembershipRecords.VERSION,
                    MembershipRecords.signedBy(self, MembershipRecords.ADMISSION_DOMAIN, statement));
        }
        return null;
    }

    private static boolean verify(String key, byte[] message, JsonNode sig) {
        if (sig == null || !sig.isTextual()) {
            return false;
        }
        try {
            return org.sovereign.store.audit.note.Ed25519Keys.verify(Hex.decode(key), message,
                    Base64.getDecoder().decode(sig.asText()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Join requests refused so far. */
    public long refusedRequests() {
        return refusedCount.get();
    }

    /** The last refusal per requesting key, for status output. */
    public Map<String, String> refusals() {
        return Map.copyOf(refusedRequests);
    }

    private static byte[] message(byte kind, ObjectNode body) {
        byte[] json = CanonicalJson.of(body);
        byte[] out = new byte[json.length + 2];
        out[0] = MAGIC;
        out[1] = kind;
        System.arraycopy(json, 0, out, 2, json.length);
        return out;
    }
}
