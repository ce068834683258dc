package org.sovereign.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * What sockets a running process holds, read from {@code /proc}: every {@code socket:[inode]} link under
 * {@code /proc/<pid>/fd}, described by its line in the process's network namespace tables
 * ({@code /proc/<pid>/net/tcp}, {@code tcp6}, {@code udp}, {@code udp6}, {@code raw}, {@code raw6}, {@code unix}).
 * In a shared namespace those tables list every process's sockets, so only the inodes the process's own descriptors
 * name are attributed to it. {@link #watch()} polls in the background until {@link Watch#stop()}, so sockets that
 * live between two explicit looks are caught too (down to the polling interval).
 */
final class ProcessSockets {

    static final List<String> TABLES = List.of("tcp", "tcp6", "udp", "udp6", "raw", "raw6", "unix");

    private final long pid;
    /** Table lines of sockets seen before, by inode (an inode names one socket while it lives). */
    private final Map<String, String> descriptions = new java.util.concurrent.ConcurrentHashMap<>();

    ProcessSockets(long pid) {
        this.pid = pid;
    }

    /** The sockets the process holds now, each as {@code socket:[inode]} plus its table line when found. */
    List<String> now() {
        Map<String, String> inodes = new LinkedHashMap<>();
        Path fds = Path.of("/proc", Long.toString(pid), "fd");
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(fds)) {
            for (Path fd : dir) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.put(target.substring(8, target.length() - 1), "fd " + fd.getFileName() + " " + target);
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed between listing and reading it
                }
            }
        } catch (IOException ended) {
            return List.of();
        }
        if (inodes.isEmpty()) {
            return List.of();
        }
        if (!descriptions.keySet().containsAll(inodes.keySet())) {
            for (String table : TABLES) {
                for (String line : tableLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    String inode = table.equals("unix") ? (f.length > 6 ? f[6] : "") : (f.length > 9 ? f[9] : "");
                    if (inodes.containsKey(inode)) {
                        descriptions.putIfAbsent(inode, table + ": " + line.trim());
                    }
                }
            }
        }
        List<String> found = new ArrayList<>();
        inodes.forEach((inode, fd) -> found.add(descriptions.containsKey(inode) ? fd + " " + descriptions.get(inode) : fd));
        return found;
    }

    private List<String> tableLines(String table) {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table));
            return lines.isEmpty() ? lines : lines.subList(1, lines.size());
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether {@code /proc/<pid>/net/*} tables list any socket at all (meaningful in a namespace of its own). */
    List<String> namespaceTables() {
        List<String> all = new ArrayList<>();
        for (String table : TABLES) {
            if (!table.equals("unix")) {
                tableLines(table).forEach(l -> all.add(table + ": " + l.trim()));
            }
        }
        return all;
    }

    /** Starts polling every {@code intervalMillis} in a daemon thread. */
    Watch watch(long intervalMillis) {
        Watch w = new Watch(intervalMillis);
        w.thread.start();
        return w;
    }

    /** A background poll; {@link #stop()} returns every socket it saw. */
    final class Watch {
        private final Set<String> seen = new LinkedHashSet<>();
        private final Thread thread;
        private volatile boolean running = true;
        private long polls;

        private Watch(long intervalMillis) {
            thread = new Thread(() -> {
                while (running) {
                    List<String> now = now();
                    synchronized (seen) {
                        seen.addAll(now);
                        polls++;
                    }
                    try {
                        TimeUnit.MILLISECONDS.sleep(intervalMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "socket-watch-" + pid);
            thread.setDaemon(true);
        }

        /** Also records one explicit look (at a step boundary). */
        List<String> look() {
            List<String> now = now();
            synchronized (seen) {
                seen.addAll(now);
            }
            return now;
        }

        long polls() {
            synchronized (seen) {
                return polls;
            }
        }

        List<String> stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(10_000);
            synchronized (seen) {
                return List.copyOf(seen);
            }
        }
    }
}
