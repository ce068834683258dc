package org.sovereign.packs.pack;

import org.sovereign.packs.signing.BundleFormatException;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.TrustResult;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Reads a pack's signature bundles ({@code model.sig}, {@code signatures/*.sig}) and evaluates them. */
final class PackSignatures {
    private PackSignatures() {
    }

    /** Evaluates every bundle in {@code packDir} against {@code policy}; a malformed bundle is INVALID. */
    static TrustResult evaluate(Path packDir, TrustPolicy policy) throws IOException {
        Map<String, OmsBundle> bundles = new TreeMap<>();
        Path primary = packDir.resolve(PackLayout.PRIMARY_SIGNATURE);
        try {
            if (Files.isRegularFile(primary, LinkOption.NOFOLLOW_LINKS)) {
                bundles.put(PackLayout.PRIMARY_SIGNATURE, read(primary));
            }
            Path dir = packDir.resolve(PackLayout.SIGNATURES_DIR);
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.sig")) {
                    for (Path p : stream) {
                        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                            bundles.put(PackLayout.SIGNATURES_DIR + "/" + p.getFileName(), read(p));
                        }
                    }
                }
            }
        } catch (NamedBundleException e) {
            return new TrustResult(new Verdict.Invalid(e.getMessage()), Optional.empty());
        }
        return policy.evaluate(bundles);
    }

    private static OmsBundle read(Path file) throws IOException {
        String name = file.getParent().getFileName().toString().equals(PackLayout.SIGNATURES_DIR)
                ? PackLayout.SIGNATURES_DIR + "/" + file.getFileName() : file.getFileName().toString();
        if (Files.size(file) > OmsBundle.MAX_BYTES) {
            throw new NamedBundleException(name + ": the signature bundle is too large.");
        }
        try {
            return OmsBundle.parse(Files.readAllBytes(file));
        } catch (BundleFormatException e) {
            throw new NamedBundleException(name + ": " + e.getMessage());
        }
    }

    private static final class NamedBundleException extends RuntimeException {
        NamedBundleException(String message) {
            super(message, null, false, false);
        }
    }
}
