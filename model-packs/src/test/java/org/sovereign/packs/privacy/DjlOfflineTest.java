package org.sovereign.packs.privacy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.tokenizer.TokenizerChildMain;

import java.io.IOException;
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
 * DJL pinned offline. DJL's tokenizer calls home on every load unless it is in offline mode: {@code
 * HuggingFaceTokenizer.newInstance} runs {@code Ec2Utils.callHome}, which asks the cloud metadata address
 * (169.254.169.254) for an instance id and, on a cloud machine, sends it to a DJL telemetry bucket; out of offline
 * mode it would also download a native library it does not find in its jar, and it unpacks into {@code ~/.djl.ai}.
 * The child JVM here loads a tokenizer with {@code -Dai.djl.offline=false} (a setting that tries to turn offline mode
 * off) inside an empty network namespace, with an empty home folder; the namespace's counters must show no attempt
 * and the home folder must stay empty.
 */
class DjlOfflineTest {

    @TempDir
    Path tmp;

    @Test
    void loadingATokenizerMakesNoNetworkAttemptAndWritesNothingUnderHome() throws Exception {
        assumeTrue(unshareWorks(), "unshare -n is not permitted here (needs root or user namespaces), so there is "
                + "no namespace whose counters show only this process's attempts");
        Path home = Files.createDirectories(tmp.resolve("home"));
        Run run = run(home, List.of("-Dai.djl.offline=false"), Map.of());

        assertThat(run.exit).as(run.output).isZero();
        assertThat(run.output).contains("ids [").contains("offline after load: true");
        assertThat(run.counters).as("the namespace's counters (%s)", run.output).isNotEmpty()
                .allSatisfy((name, value) -> assertThat(value).as(name).isZero());
        assertThat(files(home)).as("files left in HOME").isEmpty();
    }

    @Test
    void anEnvironmentVariableThatWouldTurnOfflineModeOffIsRefusedInPlainWords() throws Exception {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Run run = run(home, List.of(), Map.of("DJL_OFFLINE", "false"));

        assertThat(run.exit).isNotZero();
        assertThat(run.output).contains("The environment variable DJL_OFFLINE would let the tokenizer library use the "
                + "network; unset it.").doesNotContain("ids [");
        assertThat(run.counters.values()).allMatch(v -> v == 0);
    }

    private record Run(int exit, String output, Map<String, Long> counters) {
    }

    /** Runs the tokenizer child (in an empty network namespace when one can be made) and reads its counters after. */
    private Run run(Path home, List<String> jvmOptions, Map<String, String> env) throws Exception {
        List<String> java = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Duser.home=" + home,
                "-Djava.io.tmpdir=" + Files.createDirectories(tmp.resolve("java-tmp"))));
        java.addAll(jvmOptions);
        java.add(TokenizerChildMain.class.getName());
        List<String> command = new ArrayList<>();
        boolean isolated = unshareWorks();
        if (isolated) {
            command.addAll(List.of("unshare", "-n", "sh", "-c",
                    "\"$@\"; rc=$?; echo '== counters'; cat /proc/net/snmp /proc/net/snmp6; exit $rc", "sh"));
        }
        command.addAll(java);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().keySet().removeAll(List.of("DJL_OFFLINE", "OPT_OUT_TRACKING", "DJL_CACHE_DIR",
                "ENGINE_CACHE_DIR", "XDG_CACHE_HOME"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        Process process = pb.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        int marker = output.indexOf("== counters");
        Map<String, Long> counters = marker < 0 ? Map.of() : counters(output.substring(marker));
        return new Run(process.exitValue(), marker < 0 ? output : output.substring(0, marker), counters);
    }

    /** Outgoing-attempt counters from {@code /proc/net/snmp} and {@code snmp6} text. */
    static Map<String, Long> counters(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String[] names = lines.get(i).split("\\s+");
            String[] values = lines.get(i + 1).split("\\s+");
            if (names.length > 1 && names[0].endsWith(":") && names[0].equals(values[0]) && !values[1].matches("[A-Za-z].*")) {
                for (int k = 1; k < names.length && k < values.length; k++) {
                    String key = names[0] + names[k];
                    if (List.of("Ip:OutRequests", "Ip:OutNoRoutes", "Tcp:ActiveOpens", "Udp:OutDatagrams").contains(key)) {
                        out.put(key, Long.parseLong(values[k]));
                    }
                }
            }
            String[] parts = lines.get(i).trim().split("\\s+");
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

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(dir::relativize).map(Path::toString).toList();
        }
    }
}
