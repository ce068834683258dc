package org.sovereign.mesh.net;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link MeshMemberMain} in a JVM of its own on 127.0.0.1; {@link #close()} stops it (forcibly after 10 s). */
final class MemberProcess implements AutoCloseable {
    private final Process process;
    private final PrintStream in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    final int port;
    final String key;

    MemberProcess(String coop, int port, List<String> peers, int seed, Path log) throws Exception {
        this(MeshMemberMain.class, List.of(coop, Integer.toString(port), peers.isEmpty() ? "-" : String.join(",", peers),
                Integer.toString(seed)), port, log);
    }

    /** Runs {@code main} with {@code args}; it must print {@code started KEY} once it has joined. */
    MemberProcess(Class<?> main, List<String> args, int port, Path log) throws Exception {
        this.port = port;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx160m", "-XX:TieredStopAtLevel=1", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(args);
        process = new ProcessBuilder(command).redirectError(log.toFile()).start();
        in = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "member-" + port + "-stdout");
        reader.setDaemon(true);
        reader.start();
        String started = next("started", 90);
        key = started.substring("started ".length());
    }

    private String next(String prefix, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("Member on port " + port + " gave no '" + prefix + "' line within " + seconds
                        + " s (alive: " + process.isAlive() + ").");
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** Sends a command and returns its one-line answer (without the answer's first word). */
    String ask(String command, String answerPrefix) {
        in.println(command);
        try {
            String line = next(answerPrefix, 30);
            return line.substring(answerPrefix.length()).trim();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    String heads() {
        return ask("heads", "heads");
    }

    int viewSize() {
        return Integer.parseInt(ask("view", "view").split(" ")[0]);
    }

    int merges() {
        return Integer.parseInt(ask("view", "view").split(" ")[2]);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            in.println("quit");
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
