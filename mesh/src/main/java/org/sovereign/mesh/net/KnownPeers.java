package org.sovereign.mesh.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The persistent list of peers a member contacts on start (TCPPING's initial hosts): a text file, one
 * {@code host:port} per line ({@code [v6]:port} for IPv6), {@code #} comments allowed. Members seen in a view are
 * added, so a laptop finds its cooperative again after a restart.
 */
public final class KnownPeers {
    private KnownPeers() {
    }

    /** Checks a {@code host:port} entry and returns it trimmed. */
    public static String parse(String entry) {
        String e = entry.trim();
        int colon = e.lastIndexOf(':');
        if (colon <= 0 || colon == e.length() - 1) {
            throw new IllegalArgumentException("A peer is written host:port, not '" + entry + "'.");
        }
        int port;
        try {
            port = Integer.parseInt(e.substring(colon + 1));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("A peer's port is a number, not '" + e.substring(colon + 1) + "'.");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("A peer's port is from 1 to 65535, not " + port + ".");
        }
        return e;
    }

    /** {@code host:port} as TCPPING writes it: {@code host[port]}. */
    static String jgroupsForm(String entry) {
        String e = parse(entry);
        int colon = e.lastIndexOf(':');
        String host = e.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return host + "[" + e.substring(colon + 1) + "]";
    }

    /** The peers in {@code file}, or none if it does not exist. */
    public static List<String> load(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    out.add(parse(l));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds {@code peers} to {@code file} (kept in first-seen order, no repeats); returns whether it changed. */
    public static boolean add(Path file, List<String> peers) {
        Set<String> all = new LinkedHashSet<>(load(file));
        boolean changed = false;
        for (String peer : peers) {
            changed |= all.add(parse(peer));
        }
        if (changed) {
            try {
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.write(tmp, ("# Peers of the cooperative mesh, one host:port per line.\n"
                        + String.join("\n", all) + "\n").getBytes(StandardCharsets.UTF_8));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return changed;
    }
}
