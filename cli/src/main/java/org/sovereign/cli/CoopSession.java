package org.sovereign.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.governance.Governance;
import org.sovereign.mesh.governance.GovernanceException;
import org.sovereign.mesh.governance.GovernanceRecords;
import org.sovereign.mesh.governance.Policy;
import org.sovereign.mesh.governance.Proposal;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Membership;
import org.sovereign.mesh.membership.MembershipGate;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * One {@code coop} command's view of the member's vault: the logs held (the member's own and those received from
 * peers) and the governance computed from them. Writing appends a signed record to the member's own log. When this
 * workstation founded or joined the cooperative, its log is read behind the membership gate and the policy's members,
 * stewards and threshold are the signed roster.
 */
final class CoopSession implements AutoCloseable {
    private final UnlockedWorkspace workspace;
    private final MeshLog log;
    private final CoopOptions options;
    private final String coop;
    private final MembershipGate gate;
    private Governance governance;

    private CoopSession(UnlockedWorkspace workspace, MeshLog log, MembershipGate gate, CoopOptions options,
                        String coop) {
        this.workspace = workspace;
        this.log = log;
        this.gate = gate;
        this.options = options;
        this.coop = coop;
    }

    static CoopSession open(RootCommand root, CoopOptions options, PassphraseOptions passphrase) {
        Path dataDir = root.context(true).dataDirectory().path();
        String coop = options.coop(dataDir);
        UnlockedWorkspace workspace = root.context(true).unlock(passphrase.read("Passphrase", false));
        try {
            MeshMembers.Member joined = MeshMembers.openJoined(workspace, dataDir, coop);
            CoopSession session;
            if (joined != null) {
                session = new CoopSession(workspace, joined.log(), joined.gate(), options, coop);
            } else {
                MeshLog log = StoreService.translate(() -> new MeshLog(coop,
                        RecordSigner.of(workspace.store().session()),
                        VaultRecordStore.open(workspace.store().session(), coop), Clock.systemUTC()));
                session = new CoopSession(workspace, log, null, options, coop);
            }
            session.refresh();
            return session;
        } catch (RuntimeException e) {
            workspace.close();
            throw e;
        }
    }

    private void refresh() {
        List<LogRecord> records = Governance.recordsOf(log);
        Optional<Membership.Roster> roster = gate == null ? Optional.empty()
                : gate.membership().map(Membership::roster);
        Policy policy = options.policy(coop, records, roster);
        governance = Governance.of(policy, records);
    }

    Governance governance() {
        return governance;
    }

    UnlockedWorkspace workspace() {
        return workspace;
    }

    /** This member's key, hex. */
    String self() {
        return log.self();
    }

    /** Signs {@code body} as a record of {@code type} in this member's own log and recomputes the governance. */
    LogRecord write(String type, ObjectNode body) {
        LogRecord record;
        try {
            record = log.append(type, GovernanceRecords.VERSION, body);
        } catch (IllegalStateException e) {
            throw new UserFacingException(e.getMessage());
        }
        refresh();
        governance.refusal(record.hash()).ifPresent(reason -> {
            throw new UserFacingException("The record was written but does not count: " + reason);
        });
        return record;
    }

    /** The proposal named by its id or by a unique prefix of it (at least 8 hex digits). */
    Proposal proposal(String idOrPrefix) {
        return proposal(governance, idOrPrefix);
    }

    static Proposal proposal(Governance g, String idOrPrefix) {
        Proposal exact = g.proposals().get(idOrPrefix);
        if (exact != null) {
            return exact;
        }
        List<Proposal> matches = idOrPrefix.length() < 8 ? List.of() : g.proposals().values().stream()
                .filter(p -> p.id().startsWith(idOrPrefix)).toList();
        if (matches.size() > 1) {
            throw new UserFacingException(TerminalText.safe(idOrPrefix) + " names more than one proposal; give more "
                    + "of its id.");
        }
        if (matches.isEmpty()) {
            throw new UserFacingException("No proposal " + TerminalText.safe(idOrPrefix) + " is known; "
                    + "'sovereign coop proposals' lists them.");
        }
        return matches.get(0);
    }

    /** Runs {@code call}, turning a governance refusal into one plain line. */
    static <T> T plainly(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (GovernanceException e) {
            throw new UserFacingException(e.getMessage());
        }
    }

    @Override
    public void close() {
        workspace.close();
    }
}
