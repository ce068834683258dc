package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.testing.Fixtures;
import org.sovereign.testing.PlainPdf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The promise "nothing leaves your machine" for the whole offline flow (issue 15), in a child JVM running
 * {@link OfflineFlowMain}: vault init (which installs the bundled embedding pack), consent, indexing a folder with a
 * Markdown note and a PDF whose font is not embedded, semantic search, a generated answer with the tiny model,
 * withdrawal, audit verify and the egress ledger.
 *
 * <ul>
 *   <li>In a network namespace of its own ({@code unshare -n}: no interface up, no route) every step succeeds, the
 *       namespace's socket tables stay empty and its counters show no attempt to send anything.</li>
 *   <li>With the network present (mesh and server off, as every command of the flow leaves them), the test looks at
 *       {@code /proc/<pid>/fd} and the {@code /proc/<pid>/net} tables at every step and polls them in between: the
 *       process never holds a socket of any kind.</li>
 *   <li>Both runs have an empty home folder, which stays empty (no library cache, font cache or telemetry queue).</li>
 * </ul>
 * The watch itself is checked against a child that does open a socket ({@link SocketOpeningMain}).
 */
class OfflineFlowTest {

    private static final String PASSPHRASE = "offline flow passphrase";
    /** Bounds each child run: it is killed after this (it takes well under a minute on a 2-core machine). */
    private static final long CHILD_SECONDS = 150;

    @TempDir
    Path tmp;

    @Test
    void theWholeFlowSucceedsInANetworkNamespaceWithoutNetwork() throws Exception {
        Optional<List<String>> unshare = unsharePrefix();
        assumeTrue(unshare.isPresent(), "Neither 'unshare -rn' (user namespaces) nor 'unshare -n' (root) is permitted "
                + "here, so the flow cannot be run without a network; the run with the network present still checks "
                + "that no socket is opened.");
        Flow flow = Flow.start(tmp, unshare.get(), OfflineFlowMain.class, Map.of());
        Map<String, Long> counters;
        List<String> tables = new ArrayList<>();
        try {
            String at;
            while (!(at = flow.awaitCheckpoint()).equals("end")) {
                tables.addAll(flow.sockets.namespaceTables());
                flow.proceed();
            }
            tables.addAll(flow.sockets.namespaceTables());
            counters = counters(flow.pid());
        } finally {
            flow.finish();
        }

        flow.assertCompleted();
        assertThat(tables).as("sockets in the child's namespace").isEmpty();
        assertThat(counters).as("the child's namespace counters").isNotEmpty()
                .allSatisfy((name, value) -> assertThat(value).as(name).isZero());
        assertThat(files(flow.home)).as("files left in HOME").isEmpty();
    }

    @Test
    void withTheNetworkPresentTheFlowNeverHoldsASocket() throws Exception {
        // as the launchers start it (they set the variable); the run above tests the product's own switch without it
        Flow flow = Flow.start(tmp, List.of(), OfflineFlowMain.class, Map.of("ORT_DISABLE_TELEMETRY", "1"));
        Map<String, List<String>> atSteps = new LinkedHashMap<>();
        List<String> polled;
        ProcessSockets.Watch watch = flow.sockets.watch(5);
        try {
            String at;
            while (!(at = flow.awaitCheckpoint()).equals("end")) {
                atSteps.put(at, flow.beyondBaseline(watch.look()));
                flow.proceed();
            }
            atSteps.put(at, flow.beyondBaseline(watch.look()));
        } finally {
            polled = watch.stop();
            flow.finish();
        }

        flow.assertCompleted();
        assertThat(atSteps).as("one look after every step").hasSizeGreaterThanOrEqualTo(11)
                .allSatisfy((step, sockets) -> assertThat(sockets).as("sockets after " + step).isEmpty());
        assertThat(watch.polls()).as("the watch polled while the flow ran").isGreaterThan(20);
        assertThat(flow.beyondBaseline(polled)).as("sockets seen while polling").isEmpty();
        assertThat(files(flow.home)).as("files left in HOME").isEmpty();
    }

    /** The same watch, on a child that opens a listening socket on 127.0.0.1: it must see it, at the step and polling. */
    @Test
    void theWatchSeesASocketWhenAProcessOpensOne() throws Exception {
        Flow flow = Flow.start(tmp, List.of(), SocketOpeningMain.class, Map.of());
        ProcessSockets.Watch watch = flow.sockets.watch(5);
        List<String> atOpened = List.of();
        List<String> polled;
        try {
            String at;
            while (!(at = flow.awaitCheckpoint()).equals("end")) {
                if (at.equals("opened")) {
                    atOpened = flow.beyondBaseline(watch.look());
                }
                flow.proceed();
            }
        } finally {
            polled = watch.stop();
            flow.finish();
        }
        int port = Integer.parseInt(flow.output().replaceAll("(?s).*listening on port (\\d+).*", "$1"));
        // Java opens it as an IPv6 socket mapped to 127.0.0.1 where IPv6 is available (tcp6), else as IPv4 (tcp)
        String local = String.format(Locale.ROOT, "0100007F:%04X ", port);

        assertThat(atOpened).singleElement().asString().startsWith("fd ").contains("socket:[", local)
                .containsPattern(" tcp6?: ");
        assertThat(flow.beyondBaseline(polled)).anySatisfy(s -> assertThat(s).contains(local));
    }

    // --- the child -------------------------------------------------------------------------------------------------

    /** A child JVM speaking the checkpoint protocol of {@link OfflineFlowMain}. */
    private static final class Flow {
        final Process process;
        final Path home;
        final BufferedReader out;
        final Writer in;
        final StringBuilder seen = new StringBuilder();
        ProcessSockets sockets;
        /** The sockets the child held when the watch started (the JDK's pre-close descriptor at most). */
        List<String> baseline = List.of();
        private long pid = -1;

        private Flow(Process process, Path home) {
            this.process = process;
            this.home = home;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        static Flow start(Path tmp, List<String> prefix, Class<?> main, Map<String, String> extraEnv) throws Exception {
            Path run = Files.createTempDirectory(tmp, "run");
            Path home = Files.createDirectories(run.resolve("home"));
            Path javaTmp = Files.createDirectories(run.resolve("java-tmp"));
            Path notes = Files.createDirectories(run.resolve("notes"));
            Files.writeString(notes.resolve("mites.md"), "Varroa destructor is counted with a sugar roll every August.");
            PlainPdf.write(notes.resolve("hives.pdf"), "Check the hive entrance for dead bees after a cold night");
            Path pass = Files.writeString(run.resolve("pass"), PASSPHRASE + "\n");
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home, "-Djava.io.tmpdir=" + javaTmp,
                    main.getName(), run.resolve("data").toString(), notes.toString(), pass.toString(),
                    Fixtures.TINY_LLAMA.toString(), run.resolve("tiny.mpack").toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> k.startsWith("SOVEREIGN_") || k.startsWith("DJL_") || k.startsWith("ORT_")
                    || List.of("ENGINE_CACHE_DIR", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "CI",
                    "GITHUB_ACTIONS", "OPT_OUT_TRACKING").contains(k));
            env.put("HOME", home.toString());
            env.putAll(extraEnv);
            Flow flow = new Flow(pb.start(), home);
            // a hard bound: a child that hangs is killed, so reading its output ends
            Thread bound = new Thread(() -> {
                try {
                    if (!flow.process.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
                        flow.process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    flow.process.destroyForcibly();
                }
            }, "offline-flow-bound");
            bound.setDaemon(true);
            bound.start();
            String first = flow.awaitCheckpoint();
            assertThat(first).isEqualTo("started");
            flow.sockets = new ProcessSockets(flow.pid);
            flow.baseline = flow.sockets.now();
            assertThat(flow.baseline).as("at the start: at most the JDK's own pre-close descriptor, an unnamed Unix "
                    + "socket (see OfflineFlowMain.loadTheJdksNioLibrary)").hasSizeLessThanOrEqualTo(1)
                    .allSatisfy(s -> assertThat(s).contains(" unix: ").matches(".*unix: (\\S+\\s+){6}\\d+$"));
            flow.proceed();
            return flow;
        }

        /** Reads up to the next {@code checkpoint NAME} line and returns NAME ("end" after the last step). */
        String awaitCheckpoint() throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("pid ")) {
                    pid = Long.parseLong(line.substring(4).trim());
                } else if (line.startsWith("checkpoint ")) {
                    return line.substring("checkpoint ".length()).trim();
                }
            }
            throw new AssertionError("the child stopped before its flow ended:\n" + seen);
        }

        void proceed() throws IOException {
            in.write("go\n");
            in.flush();
        }

        long pid() {
            return pid;
        }

        String output() {
            return seen.toString();
        }

        /** {@code sockets} without the ones held since the start. */
        List<String> beyondBaseline(List<String> sockets) {
            List<String> held = baseline.stream().map(Flow::descriptor).toList();
            return sockets.stream().filter(s -> !held.contains(descriptor(s))).toList();
        }

        /** {@code fd N socket:[inode]}: the same descriptor holding the same socket. */
        private static String descriptor(String socket) {
            return socket.substring(0, socket.indexOf(']') + 1);
        }

        void assertCompleted() {
            assertThat(output()).contains("flow complete");
            if (output().contains("step audit-egress")) {
                assertThat(output()).contains("vault-init out| Installed the bundled embedding pack", "2 indexed",
                        "(with embeddings)", "tokens/s", "audit-verify out| The audit log holds:",
                        "audit-egress out| This workstation has never used the network.");
            }
        }

        void finish() throws Exception {
            try {
                in.close();
            } catch (IOException alreadyGone) {
                // the child ended
            }
            out.lines().forEach(l -> seen.append(l).append('\n'));
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    // --- the namespace ---------------------------------------------------------------------------------------------

    /** {@code unshare -rn} when user namespaces are allowed, else {@code unshare -n} (as root), else nothing. */
    static Optional<List<String>> unsharePrefix() {
        for (List<String> prefix : List.of(List.of("unshare", "-rn"), List.of("unshare", "-n"))) {
            List<String> probe = new ArrayList<>(prefix);
            probe.add("true");
            try {
                Process p = new ProcessBuilder(probe).redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return Optional.of(prefix);
                }
            } catch (IOException e) {
                return Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Counters of the child's namespace that count attempts to send (IPv4 and IPv6). */
    private static Map<String, Long> counters(long pid) throws IOException {
        Path net = Path.of("/proc", String.valueOf(pid), "net");
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> snmp = Files.readAllLines(net.resolve("snmp"));
        for (int i = 0; i + 1 < snmp.size(); i += 2) {
            String[] names = snmp.get(i).split("\\s+");
            String[] values = snmp.get(i + 1).split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                String key = names[0] + names[k];
                if (List.of("Ip:OutRequests", "Ip:OutNoRoutes", "Tcp:ActiveOpens", "Udp:OutDatagrams").contains(key)) {
                    out.put(key, Long.parseLong(values[k]));
                }
            }
        }
        for (String line : Files.readAllLines(net.resolve("snmp6"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && List.of("Ip6OutRequests", "Ip6OutNoRoutes", "Udp6OutDatagrams").contains(parts[0])) {
                out.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        return out;
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(dir::relativize).map(Path::toString).toList();
        }
    }
}
