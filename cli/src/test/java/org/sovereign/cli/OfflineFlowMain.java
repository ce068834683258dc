package org.sovereign.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Child-process entry point for {@link OfflineFlowTest}: the whole offline flow, command after command, as a person
 * would type it, in one JVM (vault init with the bundled embedding pack, consent, index, a generated answer with the
 * tiny model, withdrawal, audit verify, the egress ledger). After each command it prints {@code checkpoint <name>} and
 * waits for a line on standard input, so the test can look at the process at that point.
 *
 * <p>Arguments: data directory, notes folder, passphrase file, tiny model folder, where to write its pack.
 */
public final class OfflineFlowMain {

    private static final BufferedReader IN = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));

    private OfflineFlowMain() {
    }

    public static void main(String[] args) throws IOException {
        String data = args[0];
        String notes = args[1];
        String pass = args[2];
        String model = args[3];
        String mpack = args[4];
        loadTheJdksNioLibrary();
        System.out.println("pid " + ProcessHandle.current().pid());
        checkpoint("started");
        step("vault-init", data, "vault", "init", "--passphrase-file", pass, "--argon2-memory-mib", "8",
                "--argon2-iterations", "1");
        String consent = step("consent-grant", data, "consent", "grant", "--passphrase-file", pass, "--purpose",
                "private assistant", "--operations", "index,embed,generate", "--source", notes).strip();
        step("index", data, "index", notes, "--consent", consent, "--passphrase-file", pass);
        step("search", data, "search", "parasites", "in", "honeybee", "colonies", "--passphrase-file", pass);
        step("pack-import", data, "pack", "import", model, "--out", mpack, "--name", "tiny-llama", "--version", "1.0.0");
        step("pack-install", data, "pack", "install", mpack, "--trust-anyway", "--passphrase-file", pass);
        step("ask", data, "ask", "When", "are", "varroa", "mites", "counted?", "--pack", "tiny-llama", "--max-tokens",
                "8", "--passphrase-file", pass);
        step("consent-withdraw", data, "consent", "withdraw", consent, "--passphrase-file", pass);
        step("audit-verify", data, "audit", "verify");
        step("audit-egress", data, "audit", "egress");
        System.out.println("flow complete");
        checkpoint("end");
    }

    /** Runs one command; prints what it wrote; stops the flow (exit 1) when it fails. Returns its standard output. */
    private static String step(String name, String data, String... args) throws IOException {
        List<String> full = new ArrayList<>(List.of(args));
        full.addAll(List.of("--data-dir", data));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new SovereignCli(CliRun.noDesktop()).withStreams(new PrintWriter(out), new PrintWriter(err))
                .execute(full.toArray(String[]::new));
        out.toString().lines().forEach(l -> System.out.println(name + " out| " + l));
        err.toString().lines().forEach(l -> System.out.println(name + " err| " + l));
        System.out.println("step " + name + " exit " + code);
        if (code != 0) {
            System.out.println("flow failed at " + name);
            System.exit(1);
        }
        checkpoint(name);
        return out.toString();
    }

    /**
     * Loads the JDK's file-channel library before the test starts watching. Loading it, the JDK probes once whether
     * IPv4, IPv6 and port reuse are supported by creating a socket and closing it at once (never bound or connected),
     * and keeps one end of a Unix socketpair whose other end it closes, as the descriptor it uses to close files that
     * another thread may still be reading. That is the JVM, not the workstation, and every program that writes a file
     * through a channel does it; the test sees the kept descriptor at its first look and allows exactly that one.
     */
    static void loadTheJdksNioLibrary() throws IOException {
        java.nio.file.Path probe = java.nio.file.Files.createTempFile("nio", ".probe");
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(probe,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        } finally {
            java.nio.file.Files.delete(probe);
        }
    }

    /** Tells the test where the flow is and waits until it has looked. */
    static void checkpoint(String name) throws IOException {
        System.out.println("checkpoint " + name);
        System.out.flush();
        if (IN.readLine() == null) {
            System.exit(3);
        }
    }
}
