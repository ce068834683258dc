package org.sovereign.cli;

import org.sovereign.core.UnlockedWorkspace;
import org.sovereign.core.store.StoreService;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.Invite;
import org.sovereign.mesh.membership.JoinProtocol;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.Membership;
import org.sovereign.mesh.membership.MembershipGate;
import org.sovereign.mesh.net.MeshNode;
import org.sovereign.store.consent.ConsentHistory;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** What the mesh commands share about membership: opening a member's log behind its gate, watching the consent, printing. */
final class MeshMembers {

    private MeshMembers() {
    }

    /** A member's log behind its membership gate, and its joining messages. */
    record Member(MembershipGate gate, MeshLog log, LogSync sync, JoinProtocol join) {
    }

    /**
     * Opens this workstation's log of {@code coop} behind a gate: over {@code genesis}, or awaiting one (a short code's
     * invite) when it is {@code null}.
     */
    static Member open(UnlockedWorkspace workspace, String coop, Genesis genesis, Invite invite, String name) {
        return StoreService.translate(() -> {
            RecordSigner self = RecordSigner.of(workspace.store().session());
            VaultRecordStore store = VaultRecordStore.open(workspace.store().session(), coop);
            MembershipGate gate = genesis != null ? MembershipGate.over(genesis, store)
                    : MembershipGate.awaitingGenesis(store);
            MeshLog log = new MeshLog(coop, self, gate, Clock.systemUTC(), gate);
            JoinProtocol join = new JoinProtocol(log, gate, self, System::currentTimeMillis, invite, name);
            return new Member(gate, log, new LogSync(log), join);
        });
    }

    /** The member of the cooperative this workstation joined, if {@code coop} is it; {@code null} otherwise. */
    static Member openJoined(UnlockedWorkspace workspace, Path dataDir, String coop) {
        return JoinedCooperative.load(dataDir).filter(j -> j.genesis().coop().equals(coop))
                .map(j -> open(workspace, coop, j.genesis(), null, "")).orElse(null);
    }

    /** Members by state and the last run's refusals, when this workstation joined {@code coop}. */
    static void printMembership(PrintWriter out, Path dataDir, UnlockedWorkspace workspace, String coop) {
        Member member = openJoined(workspace, dataDir, coop);
        if (member == null) {
            out.println("Membership: this workstation holds no genesis of the cooperative (it joined before "
                    + "invitations existed), so every member's records are accepted.");
            return;
        }
        Membership m = member.gate().membership().orElseThrow();
        out.println("Cooperative name: " + TerminalText.safe(m.genesis().name()) + " (genesis "
                + m.genesis().hash().substring(0, 12) + ")");
        printMembership(out, m, member.log().self());
        printRefusals(out, dataDir);
    }

    /** Whether the consent is in force now; a consent that cannot be read is not. */
    static boolean active(UnlockedWorkspace workspace, String consentId) {
        try {
            ConsentHistory h = workspace.store().consent().history(consentId);
            return h.activeAt(Clock.systemUTC().instant());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Leaves the cooperative at once when the share consent is withdrawn or ends (asked twice a second), saving the
     * refusal counts for {@code mesh status} as they change. {@code onLeft} runs after leaving.
     */
    static void watch(MeshNode node, UnlockedWorkspace workspace, String consentId, Path dataDir, Member member,
                      Runnable onLeft) {
        AtomicReference<JoinedCooperative.Refusals> saved = new AtomicReference<>();
        node.leaveWhen(() -> {
            saveRefusals(dataDir, member, saved);
            return !active(workspace, consentId);
        }, Duration.ofMillis(500), onLeft);
    }

    static void saveRefusals(Path dataDir, Member member, AtomicReference<JoinedCooperative.Refusals> saved) {
        JoinedCooperative.Refusals now = new JoinedCooperative.Refusals(member.gate().refusedUnadmitted(),
                member.gate().refusedRemoved(), member.join().refusedRequests());
        if (!now.equals(saved.get())) {
            JoinedCooperative.saveRefusals(dataDir, now);
            saved.set(now);
        }
    }

    static String shortKey(String key) {
        return key.substring(0, 16);
    }

    /** Members by state, as status prints them. */
    static void printMembership(PrintWriter out, Membership m, String self) {
        Genesis g = m.genesis();
        out.println("This device's key: " + self);
        out.println("Stewards: " + g.stewards().size() + ", of whom " + g.k() + " must sign an admission or removal");
        Set<String> admitted = m.members();
        out.println("Members: " + admitted.size() + " admitted");
        for (String key : admitted) {
            out.println("  " + shortKey(key) + (g.stewards().contains(key) ? "  steward" : "")
                    + m.name(key).filter(n -> !n.isBlank()).map(n -> "  " + TerminalText.safe(n)).orElse("")
                    + (key.equals(self) ? "  (this device)" : ""));
        }
        Map<String, Integer> pending = m.pendingSignatures();
        out.println("Pending: " + (pending.isEmpty() ? "none" : ""));
        pending.forEach((key, n) -> out.println("  " + shortKey(key) + "  signed by " + n + " of " + g.k() + " stewards"));
        for (Membership.State state : new Membership.State[]{Membership.State.REMOVED, Membership.State.LEFT,
                Membership.State.FROZEN}) {
            Set<String> keys = m.inState(state);
            String label = switch (state) {
                case REMOVED -> "Removed";
                case LEFT -> "Left";
                default -> "Frozen";
            };
            out.println(label + ": " + (keys.isEmpty() ? "none" : String.join(", ", keys.stream()
                    .map(MeshMembers::shortKey).toList())));
        }
    }

    /** The refusal counts the last run saved, if any. */
    static void printRefusals(PrintWriter out, Path dataDir) {
        Optional<JoinedCooperative.Refusals> r = JoinedCooperative.refusals(dataDir);
        if (r.isEmpty()) {
            return;
        }
        out.println("Refused during the last run: " + r.get().unadmitted() + " records from keys not admitted, "
                + r.get().removed() + " from removed or departed members, " + r.get().requests() + " join requests");
    }
}
