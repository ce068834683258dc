package org.sovereign.core.packs;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/**
 * The embedding pack bundled with this build: {@code default-packs/all-minilm-l6-v2.mpack} beside the app jar
 * (or {@code target/classes}), and the SHA-256 of its manifest recorded in the jar by {@link DefaultPackBuilder}.
 * It carries no publisher signature; it is trusted because its manifest digest matches the one built into this
 * jar, and every file is verified against the manifest on install.
 *
 * @param mpack          the bundled archive
 * @param name           pack name
 * @param manifestSha256 the expected SHA-256 of its {@code manifest.json}
 */
public record DefaultPack(Path mpack, String name, String manifestSha256) {

    /** The resource the build writes; absent in builds made without the default pack. */
    static final String RESOURCE = "/org/sovereign/core/packs/default-pack.properties";
    /** Overrides where the bundled packs are looked for. */
    static final String DIR_PROPERTY = "sovereign.defaultPacksDir";
    static final String DIR_NAME = "default-packs";
    /** Provenance converter name that marks the bundled pack in listings. */
    static final String CONVERTER = "sovereign default-pack build";

    /** The bundled pack, if this build has one and its file is present. */
    static Optional<DefaultPack> locate() {
        Properties p = new Properties();
        try (InputStream in = DefaultPack.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return Optional.empty();
            }
            p.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        Path dir = bundledDir();
        if (dir == null) {
            return Optional.empty();
        }
        Path file = dir.resolve(p.getProperty("file", ""));
        return Files.isRegularFile(file)
                ? Optional.of(new DefaultPack(file, p.getProperty("name"), p.getProperty("manifestSha256")))
                : Optional.empty();
    }

    private static Path bundledDir() {
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        try {
            Path code = Path.of(DefaultPack.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path parent = code.toAbsolutePath().getParent();
            return parent == null ? null : parent.resolve(DIR_NAME);
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
