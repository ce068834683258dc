package org.sovereign.packs.pack;

import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.TrustResult;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * An installed pack folder ({@code <packsDir>/<name>-<version>}). {@link #fastCheck} is cheap (file set
 * and sizes); {@link #reverify} re-hashes every file and re-evaluates the signatures. Not thread-safe;
 * both checks block on file I/O.
 */
public final class InstalledPack {
    private final Path directory;
    private final PackManifest manifest;

    InstalledPack(Path directory, PackManifest manifest) {
        this.directory = directory;
        this.manifest = manifest;
    }

    /** Opens an installed pack by reading and checking its manifest. */
    public static InstalledPack open(Path directory) throws IOException {
        PackManifest manifest = new ManifestCodec().read(directory);
        if (!manifest.installDirName().equals(String.valueOf(directory.getFileName()))) {
            throw new ManifestException("The folder '" + directory.getFileName() + "' holds pack '"
                    + manifest.installDirName() + "'.");
        }
        return new InstalledPack(directory, manifest);
    }

    public Path directory() {
        return directory;
    }

    public PackManifest manifest() {
        return manifest;
    }

    /**
     * Quick load-time check: every manifest file present with its recorded size and digest, nothing else.
     *
     * @throws org.sovereign.packs.signing.FileIntegrityException naming the first file at fault
     */
    public void fastCheck() throws IOException {
        PackContent.checkStructure(directory, manifest);
    }

    /** Evaluates the signatures against {@code policy} without hashing the files (cheap; for listings). */
    public Verdict signatureVerdict(TrustPolicy policy) throws IOException {
        return PackSignatures.evaluate(directory, policy).verdict();
    }

    /**
     * Full check: re-evaluates the signatures against {@code policy} and hashes every file.
     *
     * @return the current verdict (an untrusted or unsigned pack still passes the file checks)
     * @throws org.sovereign.packs.signing.FileIntegrityException naming the first changed, missing or extra file
     * @throws UntrustedPackException when the signatures are now invalid
     */
    public Verdict reverify(TrustPolicy policy, ProgressListener progress, BooleanSupplier cancel) throws IOException {
        TrustResult trust = PackSignatures.evaluate(directory, policy);
        if (trust.verdict() instanceof Verdict.Invalid) {
            throw new UntrustedPackException("The pack's signatures are invalid: " + trust.verdict().describe(),
                    trust.verdict());
        }
        PackContent.verify(directory, manifest, trust.statement().orElse(null), progress, cancel);
        return trust.verdict();
    }
}
