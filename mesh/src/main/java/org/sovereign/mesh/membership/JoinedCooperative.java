package org.sovereign.mesh.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sovereign.mesh.MeshSettings;
import org.sovereign.mesh.log.LogRecord;
import org.sovereign.store.json.CanonicalJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The cooperative this workstation belongs to, in the data directory's {@code mesh} folder: the genesis it trusts
 * ({@code cooperative.json}, public) and the share consent it joined under. Also the refusal counts of the last run
 * ({@code refused.properties}), which {@code mesh status} shows. Nothing secret.
 *
 * @param genesis      the trusted genesis
 * @param shareConsent the share consent's id, or {@code null} (a founder who has not connected yet)
 */
public record JoinedCooperative(Genesis genesis, String shareConsent) {

    /** The file of a data directory. */
    public static Path file(Path dataDirectory) {
        return dataDirectory.resolve(MeshSettings.FOLDER).resolve("cooperative.json");
    }

    /** The cooperative this workstation belongs to, if any. */
    public static Optional<JoinedCooperative> load(Path dataDirectory) {
        Path file = file(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode node = CanonicalJson.MAPPER.readTree(Files.readAllBytes(file));
            Genesis genesis = Genesis.parse(LogRecord.parse(CanonicalJson.of(node.get("genesis"))));
            JsonNode consent = node.get("consent");
            return Optional.of(new JoinedCooperative(genesis, consent == null || consent.isNull() ? null : consent.asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The cooperative file " + file + " is damaged: " + e.getMessage(), e);
        }
    }

    /** Writes this file (atomically). */
    public void save(Path dataDirectory) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("consent", shareConsent);
        try {
            node.set("genesis", CanonicalJson.MAPPER.readTree(genesis.record().wire()));
            write(file(dataDirectory), CanonicalJson.of(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same cooperative under another share consent. */
    public JoinedCooperative withConsent(String consentId) {
        return new JoinedCooperative(genesis, consentId);
    }

    /** Forgets the cooperative (after leaving). */
    public static void forget(Path dataDirectory) {
        try {
            Files.deleteIfExists(file(dataDirectory));
            Files.deleteIfExists(refusalsFile(dataDirectory));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Refusal counts of a run.
     *
     * @param unadmitted records refused because nothing admits their author
     * @param removed    records refused because their author was removed or left
     * @param requests   join requests refused
     */
    public record Refusals(long unadmitted, long removed, long requests) {
    }

    static Path refusalsFile(Path dataDirectory) {
        return dataDirectory.resolve(MeshSettings.FOLDER).resolve("refused.properties");
    }

    /** Saves the refusal counts of the current run. */
    public static void saveRefusals(Path dataDirectory, Refusals r) {
        String text = "# Records refused during the last run of the mesh member\nunadmitted=" + r.unadmitted()
                + "\nremoved=" + r.removed() + "\nrequests=" + r.requests() + "\n";
        try {
            write(refusalsFile(dataDirectory), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refusal counts of the last run, if one saved them. */
    public static Optional<Refusals> refusals(Path dataDirectory) {
        Path file = refusalsFile(dataDirectory);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            p.load(in);
            return Optional.of(new Refusals(Long.parseLong(p.getProperty("unadmitted", "0").trim()),
                    Long.parseLong(p.getProperty("removed", "0").trim()),
                    Long.parseLong(p.getProperty("requests", "0").trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
