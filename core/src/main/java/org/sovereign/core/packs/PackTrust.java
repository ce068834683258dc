package org.sovereign.core.packs;

import org.sovereign.core.common.UserFacingException;
import org.sovereign.packs.signing.Cooperative;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyFileException;
import org.sovereign.packs.signing.TrustPolicy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** Trusted publisher keys: those given on the command line plus every {@code <data dir>/trust/*.pub}. */
final class PackTrust {

    static final String TRUST_DIR = "trust";

    private PackTrust() {
    }

    static TrustPolicy policy(Path dataDir, List<Path> extraKeys) {
        return policy(dataDir, extraKeys, List.of());
    }

    /** The same, also trusting packs signed by enough keys of each of {@code cooperatives}. */
    static TrustPolicy policy(Path dataDir, List<Path> extraKeys, List<Cooperative> cooperatives) {
        List<PublicKey> keys = new ArrayList<>();
        for (Path p : extraKeys) {
            keys.add(read(p));
        }
        Path dir = dataDir.resolve(TRUST_DIR);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pub")) {
                for (Path p : files) {
                    keys.add(read(p));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new TrustPolicy(keys, cooperatives);
    }

    private static PublicKey read(Path file) {
        try {
            return EcKeys.readPublicKey(file);
        } catch (KeyFileException e) {
            throw new UserFacingException("Trusted key " + file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserFacingException("The trusted key file " + file + " cannot be read.", e);
        }
    }
}
