package org.sovereign.mesh.net;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.mesh.log.VaultRecordStore;
import org.sovereign.mesh.membership.Genesis;
import org.sovereign.mesh.membership.Invite;
import org.sovereign.mesh.membership.JoinProtocol;
import org.sovereign.mesh.membership.MembershipGate;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.ConsentHistory;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.egress.EgressGuard;
import org.sovereign.store.egress.EgressPolicy;
import org.sovereign.store.egress.EgressRefusedException;
import org.sovereign.store.egress.EgressRequest;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * A member with a real vault and a real share consent, in a JVM of its own, driven by {@link MembershipProcessesTest}.
 * Arguments: {@code founder DIR PORT} (creates cooperative "coop-join" with itself as its one steward, k = 1) or
 * {@code joiner DIR PORT INVITE} (an invite file or a short code). Commands, one answer line each: {@code invite PEER},
 * {@code join}, {@code admitted}, {@code members}, {@code refused}, {@code append TEXT}, {@code heads}, {@code view},
 * {@code withdraw}, {@code left}, {@code connections}, {@code quit}.
 */
public final class JoiningMemberMain {
    private static final String COOP = "coop-join";

    private JoiningMemberMain() {
    }

    /** Allows mesh connections to 127.0.0.1 under a live consent that covers "mesh", as core's NetworkPurposes does. */
    private static EgressPolicy policy(LocalStore store) {
        return request -> {
            if (request.direction() == EgressRequest.Direction.LISTEN) {
                return "started-by-user";
            }
            if (request.consentId() != null && request.purpose().equals("mesh") && request.host().equals("127.0.0.1")) {
                ConsentHistory h = store.consent().history(request.consentId());
                if (h.activeAt(Clock.systemUTC().instant()) && h.terms().purposes().contains("mesh")) {
                    return "consent:" + request.consentId();
                }
            }
            throw new EgressRefusedException("Connecting to " + request.host() + " for 'mesh' needs your consent.");
        };
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        boolean founder = args[0].equals("founder");
        Path dir = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        LocalStore store = LocalStore.create(dir, "a long passphrase".toCharArray(), TestKdf.FAST, Clock.systemUTC());
        String consent = ConsentFixture.consent().purpose("mesh").source("net:*").operations(Operation.SHARE)
                .grantIn(store);
        RecordSigner self = RecordSigner.of(store.session());
        VaultRecordStore records = VaultRecordStore.open(store.session(), COOP);
        Invite invite = null;
        MembershipGate gate;
        List<String> peers = List.of();
        if (founder) {
            Genesis genesis = Genesis.create(self, COOP, "Test bee keepers", List.of(), 1, System.currentTimeMillis());
            records.append(genesis.record());
            gate = MembershipGate.over(genesis, records);
        } else {
            Path file = Path.of(args[3]);
            invite = Files.exists(file) ? Invite.readFile(Files.readAllBytes(file)) : Invite.parseCode(args[3]);
            gate = invite.complete() ? MembershipGate.over(invite.genesis().orElseThrow(), records)
                    : MembershipGate.awaitingGenesis(records);
            peers = invite.peers();
        }
        MeshLog log = new MeshLog(COOP, self, gate, Clock.systemUTC(), gate);
        JoinProtocol join = new JoinProtocol(log, gate, self, System::currentTimeMillis, invite, "test joiner");
        Map<String, AtomicLong> ledger = new ConcurrentHashMap<>();
        EgressGuard guard = new EgressGuard(policy(store),
                (type, refs) -> ledger.computeIfAbsent(type, k -> new AtomicLong()).incrementAndGet());
        MeshProfile profile = MeshProfile.defaults(COOP, port, peers).withTimings(Duration.ofSeconds(1),
                Duration.ofSeconds(6));
        try (MeshNode node = MeshNode.join(profile, new LogSync(log), guard, () -> consent, null, join)) {
            node.leaveWhen(() -> !store.consent().history(consent).activeAt(Clock.systemUTC().instant()),
                    Duration.ofMillis(200), () -> out.println("event left"));
            out.println("started " + log.self());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cmd = line.split(" ", 2);
                switch (cmd[0]) {
                    case "invite" -> {
                        Invite issued = Invite.issue(log, gate.membership().orElseThrow().genesis(), List.of(cmd[1]),
                                System.currentTimeMillis() + 3_600_000);
                        Path file = dir.resolve("invite.json");
                        Files.write(file, issued.toFile());
                        out.println("invited " + file + " " + issued.shortCode());
                    }
                    case "join" -> {
                        Thread requester = new Thread(() -> {
                            try {
                                while (!node.isConnected() || !join.invite().complete()) {
                                    node.sendExtra(null, join.hello());
                                    join.awaitInvite(Duration.ofSeconds(1));
                                }
                                while (gate.membership().map(m -> !m.admits(log.self())).orElse(true)
                                        && node.isConnected()) {
                                    node.sendExtra(null, join.request());
                                    Thread.sleep(1000);
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }, "join-requests");
                        requester.setDaemon(true);
                        requester.start();
                        out.println("joining");
                    }
                    case "admitted" -> out.println("admitted "
                            + gate.membership().map(m -> m.admits(log.self())).orElse(false));
                    case "members" -> out.println("members " + gate.membership().map(m -> m.members().stream()
                            .map(k -> k.substring(0, 8)).collect(Collectors.joining(","))).orElse(""));
                    case "refused" -> out.println("refused " + gate.refusedUnadmitted() + " " + gate.refusedRemoved());
                    case "append" -> out.println("appended " + node.append("note", 1,
                            JsonNodeFactory.instance.objectNode().put("text", cmd[1])).seq());
                    case "heads" -> out.println("heads " + new TreeMap<>(log.heads()).values().stream()
                            .map(h -> h.author().substring(0, 8) + ":" + h.seq()).collect(Collectors.joining(",")));
                    case "view" -> out.println("view " + node.members().size());
                    case "withdraw" -> {
                        store.consent().withdraw(consent);
                        out.println("withdrawn");
                    }
                    case "left" -> out.println("left " + !node.isConnected());
                    case "connections" -> out.println("connections "
                            + ledger.getOrDefault("egress.connected", new AtomicLong()).get());
                    case "quit" -> {
                        out.println("bye");
                        return;
                    }
                    default -> out.println("unknown " + line);
                }
            }
        } finally {
            store.close();
            out.flush();
        }
    }
}
