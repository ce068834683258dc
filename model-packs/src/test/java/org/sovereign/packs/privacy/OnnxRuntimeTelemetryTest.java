package org.sovereign.packs.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.testing.TinyLlamaFixture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * ONNX Runtime 1.29 queues telemetry under {@code ~/.cache/Microsoft/DeveloperTools/.onnxruntime/} (a persistent
 * device id and an event database) and resolves a Microsoft collector host while a model is loaded, unless it is
 * switched off before it starts. These tests run a real generation with the tiny Llama fixture in a child JVM whose
 * {@code HOME} is an empty temporary folder and whose environment has neither {@code ORT_DISABLE_TELEMETRY} nor any
 * variable ONNX Runtime reads as "running in CI" (it stays quiet in CI on its own), so what is tested is the switch
 * inside the product ({@code OrtEnvironments}), not the launcher's or Maven's variable.
 */
class OnnxRuntimeTelemetryTest {

    /**
     * How long the network test keeps the loaded model alive after generating. Unpatched, the uploader's first DNS
     * queries came 8 to 12 s after the start (then every 4 to 7 s); the window is wider than that.
     */
    private static final long WATCH_MILLIS = Long.getLong("sovereign.test.telemetryWatchMillis", 25_000);

    /** Variables ONNX Runtime checks to decide it runs in CI or in its own tests (then it sends nothing). */
    private static final List<String> QUIETING_VARIABLES = List.of("ORT_DISABLE_TELEMETRY", "ORT_RUNNING_UNIT_TESTS",
            "CI", "TF_BUILD", "GITHUB_ACTIONS", "GITLAB_CI", "CIRCLECI", "TRAVIS", "JENKINS_URL", "CODEBUILD_BUILD_ID",
            "BUILDKITE", "TEAMCITY_VERSION", "APPVEYOR", "BITBUCKET_BUILD_NUMBER", "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI");

    @TempDir
    Path tmp;

    @Test
    void generationWritesNothingUnderHome() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Child child = Child.start(List.of(), home, tmp);
        try {
            child.awaitGenerated();
        } finally {
            child.finish();
        }
        assertNothingUnder(home);
    }

    /**
     * The child runs in a network namespace of its own ({@code unshare -n}: no interface, no route), so every
     * socket in its namespace's tables is its own and the namespace's IP counters count only its attempts: a DNS
     * query that finds no route still counts as {@code OutNoRoutes}. While the model is loaded the test polls the
     * child's open sockets and at the end reads the counters.
     */
    @Test
    void aLoadedModelMakesNoNetworkAttempt() throws Exception {
        assumeTrue(unshareWorks(), "unshare -n is not permitted here (needs root or user namespaces); the network "
                + "part of the telemetry check is skipped");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Child child = Child.start(List.of("unshare", "-n"), home, tmp);
        List<String> sockets = new ArrayList<>();
        Map<String, Long> counters;
        try {
            child.awaitGenerated();
            long pid = child.pid();
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WATCH_MILLIS);
            while (System.nanoTime() < end && child.process.isAlive()) {
                sockets.addAll(inetSockets(pid));
                Thread.sleep(2);
            }
            counters = counters(pid);
        } finally {
            child.finish();
        }
        assertThat(sockets).as("internet sockets the child held").isEmpty();
        assertThat(counters).as("the child's network namespace counters").isNotEmpty()
                .allSatisfy((name, value) -> assertThat(value).as(name).isZero());
        assertNothingUnder(home);
    }

    private static void assertNothingUnder(Path home) throws IOException {
        assertThat(home.resolve(".cache/Microsoft")).as("ONNX Runtime's telemetry folder").doesNotExist();
        try (Stream<Path> s = Files.walk(home)) {
            assertThat(s.filter(p -> !p.equals(home)).map(home::relativize).map(Path::toString))
                    .as("files the run left in HOME").isEmpty();
        }
    }

    /** Lines of the child's namespace socket tables (all of them belong to the child in its own namespace). */
    private static List<String> inetSockets(long pid) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6")) {
            try {
                List<String> lines = Files.readAllLines(Path.of("/proc", String.valueOf(pid), "net", table));
                lines.stream().skip(1).map(l -> table + ": " + l.strip()).forEach(found::add);
            } catch (IOException e) {
                // the process ended between two polls
            }
        }
        return found;
    }

    /** Outgoing-attempt counters of the child's network namespace (IPv4 and IPv6). */
    private static Map<String, Long> counters(long pid) throws IOException {
        Path net = Path.of("/proc", String.valueOf(pid), "net");
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> snmp = Files.readAllLines(net.resolve("snmp"));
        for (int i = 0; i + 1 < snmp.size(); i += 2) {
            String[] names = snmp.get(i).split("\\s+");
            String[] values = snmp.get(i + 1).split("\\s+");
            for (int k = 1; k < names.length && k < values.length; k++) {
                String key = names[0] + names[k];
                if (List.of("Ip:OutRequests", "Ip:OutNoRoutes", "Tcp:ActiveOpens", "Udp:OutDatagrams")
                        .contains(names[0] + names[k])) {
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

    private static boolean unshareWorks() {
        try {
            Process p = new ProcessBuilder("unshare", "-n", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The child JVM running {@link GenerationChildMain}. */
    private static final class Child {
        final Process process;
        final BufferedReader out;
        final StringBuilder seen = new StringBuilder();
        private long pid = -1;

        private Child(Process process) {
            this.process = process;
            this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static Child start(List<String> prefix, Path home, Path tmp) throws IOException {
            Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"),
                    "-Djava.io.tmpdir=" + javaTmp,
                    GenerationChildMain.class.getName(), TinyLlamaFixture.DIR.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            QUIETING_VARIABLES.forEach(env::remove);
            env.remove("XDG_CACHE_HOME");
            env.remove("ENGINE_CACHE_DIR");
            env.remove("DJL_CACHE_DIR");
            env.put("HOME", home.toString());
            return new Child(pb.start());
        }

        void awaitGenerated() throws IOException {
            String line;
            while ((line = out.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.startsWith("pid ")) {
                    pid = Long.parseLong(line.substring(4).trim());
                    assertThat(seen.toString()).contains("generated [");
                    return;
                }
            }
            throw new AssertionError("the child ended without generating:\n" + seen);
        }

        long pid() {
            return pid;
        }

        void finish() throws Exception {
            process.getOutputStream().close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
