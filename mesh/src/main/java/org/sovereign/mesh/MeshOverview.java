package org.sovereign.mesh;

import org.sovereign.mesh.log.LogHead;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.JoinedCooperative;
import org.sovereign.mesh.membership.Membership;
import org.sovereign.mesh.membership.MembershipGate;
import org.sovereign.mesh.witness.Witness;
import org.sovereign.store.LocalStore;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What this workstation knows of its cooperative, read from its data directory and vault for a screen or a command:
 * the cooperative, the peers it knows, the members' logs it holds, and who witnessed whose audit log. Reads only.
 *
 * @param cooperative    the cooperative's id, empty when this workstation has not joined one
 * @param name           the cooperative's name from its genesis, when this workstation holds the genesis
 * @param port           the port a running member listens on (127.0.0.1)
 * @param knownPeers     the peers it contacts ({@code host:port})
 * @param members        one row per member whose log it holds, this device first
 * @param ownWitnesses   how many other members cosigned this device's latest published audit checkpoint
 * @param ownPublished   the size of that checkpoint, empty when none was published yet
 * @param rollback       why this device's audit log no longer extends what it published, if it does not
 * @param refusedRecords records refused from peers since this view was read (malformed, forged, unadmitted)
 */
public record MeshOverview(Optional<String> cooperative, Optional<String> name, int port, List<String> knownPeers,
                           List<Member> members, int ownWitnesses, Optional<Long> ownPublished, Optional<String> rollback,
                           long refusedRecords) {

    public MeshOverview {
        knownPeers = List.copyOf(knownPeers);
        members = List.copyOf(members);
    }

    /**
     * One member's log as held here.
     *
     * @param key         its key, lower-case hex
     * @param state       where it stands in the cooperative, in plain words ("member", "steward", "waiting for
     *                    admission", "left", "removed", "frozen", "not admitted"); empty without a genesis
     * @param records     how many of its records are held
     * @param self        whether it is this device
     * @param frozen      whether it signed two different records at one place (both kept as evidence)
     * @param checkpoint  the size of its latest published audit checkpoint, if any
     * @param witnessedBy how many other members cosigned that checkpoint
     * @param forks       verified evidence that its audit log forked or shrank
     */
    public record Member(String key, String state, long records, boolean self, boolean frozen,
                         Optional<Long> checkpoint, int witnessedBy, List<String> forks) {
        public Member {
            forks = List.copyOf(forks);
        }

        /** The first 16 hex digits of the key, as shown to people. */
        public String shortId() {
            return key.substring(0, Math.min(16, key.length()));
        }
    }

    /** Not joined: nothing to show but that. */
    public static MeshOverview notJoined() {
        return new MeshOverview(Optional.empty(), Optional.empty(), 0, List.of(), List.of(), 0, Optional.empty(),
                Optional.empty(), 0);
    }

    /** Reads the overview of the cooperative saved in {@code dataDirectory} from the unlocked {@code store}. */
    public static MeshOverview read(Path dataDirectory, LocalStore store) {
        Optional<MeshSettings> settings = MeshSettings.load(dataDirectory);
        if (settings.isEmpty()) {
            return notJoined();
        }
        String coop = settings.get().cooperative();
        RecordSigner self = RecordSigner.of(store.session());
        VaultRecordStore records = VaultRecordStore.open(store.session(), coop);
        Optional<Genesis> genesis = JoinedCooperative.load(dataDirectory).map(JoinedCooperative::genesis)
                .filter(g -> g.coop().equals(coop));
        Optional<Membership> membership = genesis.flatMap(g -> MembershipGate.over(g, records).membership());
        MeshLog log = new MeshLog(coop, self, records, Clock.systemUTC());
        Witness witness = new Witness(log, self, store.signer().keyName(), Clock.systemUTC());
        Set<String> keys = new TreeSet<>(log.heads().keySet());
        membership.ifPresent(m -> {
            keys.addAll(m.members());
            keys.addAll(m.inState(Membership.State.PENDING));
        });
        List<Member> members = new ArrayList<>();
        for (String key : keys) {
            Witness.Report report = witness.report(key);
            LogHead head = log.heads().get(key);
            members.add(new Member(key, membership.map(m -> state(m, key)).orElse(""), head == null ? 0 : head.seq(),
                    key.equals(log.self()), log.frozen().containsKey(key), report.latest().map(p -> p.checkpoint().size()),
                    report.witnesses().size(), report.forks()));
        }
        members.sort(Comparator.comparing((Member m) -> !m.self()).thenComparing(Member::key));
        Witness.Report own = witness.report(log.self());
        return new MeshOverview(Optional.of(coop), genesis.map(Genesis::name), settings.get().port(),
                MeshSettings.knownPeers(dataDirectory), members, own.witnesses().size(),
                own.latest().map(p -> p.checkpoint().size()), witness.rollback(store.audit()), log.refusedCount());
    }

    private static String state(Membership m, String key) {
        return switch (m.state(key)) {
            case ADMITTED -> m.roster().stewards().contains(key) ? "steward" : "member";
            case PENDING -> "waiting for admission";
            case LEFT -> "left";
            case REMOVED -> "removed";
            case FROZEN -> "frozen";
            case UNKNOWN -> "not admitted";
        };
    }
}
