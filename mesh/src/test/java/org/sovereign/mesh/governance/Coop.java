package org.sovereign.mesh.governance;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.audit.note.Ed25519Keys;

import java.security.spec.InvalidKeySpecException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A cooperative in one process: named members, each with their own signed log; governance reads all their records. */
final class Coop {
    static final String ID = "coop-test";
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

    final Map<String, MeshLog> logs = new LinkedHashMap<>();
    final List<LogRecord> extra = new ArrayList<>();

    Coop(String... names) {
        int seed = 1;
        for (String name : names) {
            logs.put(name, new MeshLog(ID, seeded(seed++), new MemoryRecordStore(), CLOCK));
        }
    }

    static RecordSigner seeded(int fill) {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) fill);
        try {
            return RecordSigner.of(Ed25519Keys.keyPairFromSeed(seed));
        } catch (InvalidKeySpecException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces {@code name}'s (still empty) log with one whose clock is off by {@code skew}. */
    Coop skew(String name, java.time.Duration skew) {
        MeshLog old = logs.get(name);
        int seed = new ArrayList<>(logs.keySet()).indexOf(name) + 1;
        if (!old.heads().isEmpty()) {
            throw new IllegalStateException("skew before writing");
        }
        logs.put(name, new MeshLog(ID, seeded(seed), new MemoryRecordStore(), Clock.offset(CLOCK, skew)));
        return this;
    }

    String key(String name) {
        return logs.get(name).self();
    }

    Policy policy(int k, String... stewards) {
        return new Policy(ID, logs.values().stream().map(MeshLog::self).collect(Collectors.toSet()),
                Arrays.stream(stewards).map(this::key).collect(Collectors.toSet()), k, Policy.DEFAULT_CREDITS);
    }

    Policy policy() {
        return policy(1, logs.keySet().iterator().next());
    }

    LogRecord write(String name, String type, ObjectNode body) {
        return logs.get(name).append(type, GovernanceRecords.VERSION, body);
    }

    String propose(String name, String area, String... options) {
        return write(name, GovernanceRecords.PROPOSAL, GovernanceRecords.proposal(ProposalKind.ADOPT_PACK,
                "sha256:" + "ab".repeat(32), "Adopt the pack as trusted by the cooperative.", List.of(options), area,
                CLOCK.millis() + 86_400_000L, 0)).hash();
    }

    LogRecord vote(String name, String proposal, Object... optionAndVotes) {
        Map<String, Integer> votes = new LinkedHashMap<>();
        for (int i = 0; i < optionAndVotes.length; i += 2) {
            votes.put((String) optionAndVotes[i], (Integer) optionAndVotes[i + 1]);
        }
        return write(name, GovernanceRecords.VOTE, GovernanceRecords.vote(proposal, votes));
    }

    LogRecord delegate(String name, Scope scope, String to) {
        return write(name, GovernanceRecords.DELEGATE, GovernanceRecords.delegate(scope, key(to)));
    }

    LogRecord revoke(String name, Scope scope) {
        return write(name, GovernanceRecords.REVOKE, GovernanceRecords.revoke(scope));
    }

    List<LogRecord> records() {
        List<LogRecord> all = new ArrayList<>();
        logs.values().forEach(log -> all.addAll(Governance.recordsOf(log)));
        all.addAll(extra);
        return all;
    }

    Governance governance(Policy policy) {
        return Governance.of(policy, records());
    }

    Governance governance() {
        return governance(policy());
    }

    Set<String> keys(String... names) {
        return Arrays.stream(names).map(this::key).collect(Collectors.toSet());
    }
}
