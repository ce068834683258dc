package org.sovereign.packs.pack;

import org.sovereign.packs.signing.FileDigestCache;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.TrustResult;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * An installed pack folder ({@code <packsDir>/<name>-<version>}). {@link #checkForLoad} (also {@link #fastCheck})
 * runs before a pack is used or listed: every file against the digests of the signed statement and the manifest;
 * {@link #reverify} does the same with progress and cancel, reading every byte again, and re-evaluates the
 * signatures against a trust policy. Not thread-safe; both checks block on file I/O.
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
     * Load-time check: exactly the manifest's files are present, each with the manifest's size and SHA-256, and,
     * when the pack is signed, {@code manifest.json} and every file have the digests of the signed statement (a
     * same-size swap of a template, the manifest or the weights is found). The signature itself is checked by
     * {@link #signatureVerdict}. Digests come from {@link FileDigestCache#SHARED}: a file is read again when its
     * inode, size or times changed, so repeated checks of an unchanged pack in one process cost only a stat per file.
     * An unsigned pack's manifest has nothing to be checked against; its files are checked against it.
     *
     * @throws org.sovereign.packs.signing.FileIntegrityException naming the first changed, missing or extra file
     * @throws UntrustedPackException when the signature bundles are malformed or disagree
     */
    public void checkForLoad() throws IOException {
        TrustResult parsed = PackSignatures.evaluate(directory, TrustPolicy.none());
        if (parsed.verdict() instanceof Verdict.Invalid) {
            throw new UntrustedPackException("The pack's signatures are invalid: " + parsed.verdict().describe(),
                    parsed.verdict());
        }
        PackContent.verify(directory, manifest, parsed.statement().orElse(null), total -> FileDigestCache.SHARED);
        if (!new ManifestCodec().read(directory).equals(manifest)) {
            throw new FileIntegrityException(PackLayout.MANIFEST,
                    "'" + PackLayout.MANIFEST + "' changed after the pack was opened.");
        }
    }

    /** The same as {@link #checkForLoad} (it used to compare sizes only; sizes alone missed same-size swaps). */
    public void fastCheck() throws IOException {
        checkForLoad();
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
