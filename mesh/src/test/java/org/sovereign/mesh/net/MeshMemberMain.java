package org.sovereign.mesh.net;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.mesh.log.LogSync;
import org.sovereign.mesh.log.MemoryRecordStore;
import org.sovereign.mesh.log.MeshLog;
import org.sovereign.mesh.log.RecordSigner;
import org.sovereign.store.audit.note.Ed25519Keys;
import org.sovereign.store.egress.EgressGuard;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * One mesh member in a JVM of its own, driven line by line on standard input by {@link MeshProcessesTest}: {@code
 * append TEXT}, {@code heads}, {@code view}, {@code refused}, {@code ledger}, {@code addpeer HOST:PORT}, {@code forge},
 * {@code quit}. Each command answers with one line. Arguments: cooperative, port, peers (comma separated or -), key
 * seed byte.
 */
public final class MeshMemberMain {
    private MeshMemberMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        String coop = args[0];
        int port = Integer.parseInt(args[1]);
        List<String> peers = args[2].equals("-") ? List.of() : List.of(args[2].split(","));
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) Integer.parseInt(args[3]));
        RecordSigner signer = RecordSigner.of(Ed25519Keys.keyPairFromSeed(seed));
        Map<String, AtomicLong> ledger = new ConcurrentHashMap<>();
        EgressGuard guard = new EgressGuard(MeshNodeEgressTest.POLICY,
                (type, refs) -> ledger.computeIfAbsent(type + "/" + refs.get("purpose"), k -> new AtomicLong())
                        .incrementAndGet());
        LogSync sync = new LogSync(new MeshLog(coop, signer, new MemoryRecordStore(), Clock.systemUTC()));
        MeshProfile profile = MeshProfile.defaults(coop, port, peers).withTimings(Duration.ofSeconds(1),
                Duration.ofSeconds(6));
        try (MeshNode node = MeshNode.join(profile, sync, guard, () -> "share-1", null)) {
            out.println("started " + sync.log().self());
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] cmd = line.split(" ", 2);
                switch (cmd[0]) {
                    case "append" -> out.println("appended " + node.append("note", 1,
                            JsonNodeFactory.instance.objectNode().put("text", cmd[1])).seq());
                    case "heads" -> out.println("heads " + new TreeMap<>(sync.log().heads()).values().stream()
                            .map(h -> h.author().substring(0, 8) + ":" + h.seq() + ":" + h.hash().substring(0, 8))
                            .collect(Collectors.joining(",")));
                    case "view" -> out.println("view " + node.members().size() + " merges " + node.mergeCount());
                    case "refused" -> out.println("refused " + sync.log().refusedCount());
                    case "ledger" -> out.println("ledger " + new TreeMap<>(ledger));
                    case "addpeer" -> {
                        node.addKnownPeer(cmd[1]);
                        out.println("added");
                    }
                    case "forge" -> {
                        LogRecord real = LogRecord.sign(RecordSigner.generate(), coop, 1, null, "note", 1, 0,
                                JsonNodeFactory.instance.objectNode().put("text", "forged"));
                        byte[] otherSig = new byte[64];
                        otherSig[0] = 1;
                        String wire = new String(real.wire(), StandardCharsets.UTF_8).replace(
                                Base64.getEncoder().encodeToString(real.signature()),
                                Base64.getEncoder().encodeToString(otherSig));
                        LogRecord forged = LogRecord.parse(wire.getBytes(StandardCharsets.UTF_8));
                        node.broadcast(LogSync.push(List.of(forged)));
                        out.println("forged " + forged.author().substring(0, 8));
                    }
                    case "quit" -> {
                        out.println("bye");
                        return;
                    }
                    default -> out.println("unknown " + line);
                }
            }
        } finally {
            out.flush();
        }
    }
}
