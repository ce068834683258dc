package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.TestKeys;
import org.sovereign.store.vault.crypto.Hex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A test cooperative: fixed keys, a genesis, and each key's own log, written by hand. */
final class Coop {
    final String id;
    final Genesis genesis;
    final List<LogRecord> records = new ArrayList<>();
    private final Map<String, LogRecord> heads = new HashMap<>();

    Coop(String id, int k, RecordSigner founder, RecordSigner... otherStewards) {
        this.id = id;
        List<String> stewards = Arrays.stream(otherStewards).map(Coop::hex).toList();
        genesis = Genesis.create(founder, id, "Bee keepers of " + id, stewards, k, 1_000);
        keep(genesis.record());
    }

    static RecordSigner key(int fill) {
        return TestKeys.seeded(fill);
    }

    static String hex(RecordSigner signer) {
        return Hex.encode(signer.publicKey());
    }

    private LogRecord keep(LogRecord r) {
        records.add(r);
        heads.put(r.author(), r);
        return r;
    }

    /** Appends a record to {@code author}'s log in this cooperative. */
    LogRecord write(RecordSigner author, String type, ObjectNode body) {
        return keep(writeIn(id, author, type, body));
    }

    /** A record of {@code author}'s next place, for cooperative {@code coop}, not kept. */
    LogRecord writeIn(String coop, RecordSigner author, String type, ObjectNode body) {
        LogRecord head = heads.get(hex(author));
        return LogRecord.sign(author, coop, head == null ? 1 : head.seq() + 1, head == null ? null : head.hash(), type, 1,
                2_000, body);
    }

    ObjectNode admission(RecordSigner member, String nonce, String... after) {
        return MembershipRecords.admission(id, genesis.hash(), hex(member), "member " + nonce, nonce, List.of(after));
    }

    /** A record by {@code carrier} holding {@code statement} signed by each of {@code stewards}. */
    LogRecord admit(RecordSigner carrier, ObjectNode statement, RecordSigner... stewards) {
        return write(carrier, MembershipRecords.ADMIT, signedBy(MembershipRecords.ADMISSION_DOMAIN, statement, stewards));
    }

    LogRecord remove(RecordSigner carrier, RecordSigner member, RecordSigner... stewards) {
        ObjectNode statement = MembershipRecords.removal(id, genesis.hash(), hex(member), "no longer with us");
        return write(carrier, MembershipRecords.REMOVE, signedBy(MembershipRecords.REMOVAL_DOMAIN, statement, stewards));
    }

    static ObjectNode signedBy(String domain, ObjectNode statement, RecordSigner... stewards) {
        Map<String, byte[]> sigs = new HashMap<>();
        for (RecordSigner s : stewards) {
            sigs.put(hex(s), MembershipRecords.signStatement(s, domain, statement));
        }
        return MembershipRecords.signed(statement, sigs);
    }

    Membership membership() {
        return Membership.of(genesis, records, Set.of());
    }

    static ObjectNode note(String text) {
        return JsonNodeFactory.instance.objectNode().put("text", text);
    }
}
