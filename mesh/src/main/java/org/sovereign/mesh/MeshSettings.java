package org.sovereign.mesh;

import org.sovereign.mesh.net.KnownPeers;
import org.sovereign.mesh.net.MeshProfile;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What this workstation remembers about its cooperative, in the data directory's {@code mesh} folder: the cooperative
 * id, where it listens ({@code settings.properties}) and the peers it knows ({@code known-peers.txt}). Nothing secret.
 *
 * @param cooperative the cooperative's id
 * @param bindAddress where to listen (loopback unless the person chose another)
 * @param port        the port to listen on
 */
public record MeshSettings(String cooperative, String bindAddress, int port) {
    /** The folder under the data directory. */
    public static final String FOLDER = "mesh";

    /** The settings file of a data directory. */
    public static Path file(Path dataDirectory) {
        return dataDirectory.resolve(FOLDER).resolve("settings.properties");
    }

    /** The known-peers file of a data directory. */
    public static Path knownPeersFile(Path dataDirectory) {
        return dataDirectory.resolve(FOLDER).resolve("known-peers.txt");
    }

    /** The saved settings, or empty when this workstation never joined a cooperative. */
    public static Optional<MeshSettings> load(Path dataDirectory) {
        Path file = file(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String coop = p.getProperty("cooperative");
        if (coop == null || coop.isBlank()) {
            return Optional.empty();
        }
        int port;
        try {
            port = Integer.parseInt(p.getProperty("port", Integer.toString(MeshProfile.DEFAULT_PORT)).trim());
        } catch (NumberFormatException e) {
            port = MeshProfile.DEFAULT_PORT;
        }
        return Optional.of(new MeshSettings(coop.trim(), p.getProperty("bind", "127.0.0.1").trim(), port));
    }

    /** Writes these settings to the data directory. */
    public void save(Path dataDirectory) {
        Path file = file(dataDirectory);
        Properties p = new Properties();
        p.setProperty("cooperative", cooperative);
        p.setProperty("bind", bindAddress);
        p.setProperty("port", Integer.toString(port));
        try {
            Files.createDirectories(file.getParent());
            try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                p.store(out, "Cooperative mesh settings");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The peers this workstation knows, {@code host:port}. */
    public static List<String> knownPeers(Path dataDirectory) {
        return KnownPeers.load(knownPeersFile(dataDirectory));
    }
}
