package org.sovereign.packs.pack;

import org.sovereign.packs.signing.ModelFiles;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.TrustResult;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Installs packs: checks free space, copies or extracts into a temporary folder inside the packs folder,
 * evaluates the signatures, verifies every file (streaming SHA-256) against the signed statement and the
 * manifest, then renames the folder atomically to {@code <packsDir>/<name>-<version>}. On any failure or
 * cancel the temporary folder is deleted, so the packs folder is left as it was. Stateless apart from the
 * free-space probe; blocks on file I/O for the whole install.
 */
public final class PackInstaller {
    /** Name prefix of the locked temporary folders installs stage in (see {@link StagingFolder}). */
    public static final String STAGING_PREFIX = ".installing-";
    private final FreeSpaceProbe freeSpace;
    private final ManifestCodec codec = new ManifestCodec();

    /** An installer using {@link FreeSpaceProbe#FILE_STORE}. */
    public PackInstaller() {
        this(FreeSpaceProbe.FILE_STORE);
    }

    public PackInstaller(FreeSpaceProbe freeSpace) {
        this.freeSpace = freeSpace;
    }

    /**
     * Installs a pack.
     *
     * @param source      a pack folder or a {@code .mpack} file; read only, never changed
     * @param packsDir    the folder holding installed packs (created if missing)
     * @param policy      which signatures are trusted
     * @param trustAnyway install an UNSIGNED or UNTRUSTED_SIGNATURE pack anyway (never an INVALID one)
     * @param progress    bytes copied plus bytes hashed, against twice the pack size
     * @param cancel      polled before every 64 KiB buffer
     * @throws PackException subclasses and {@link org.sovereign.packs.signing.OmsException} subclasses with a
     *                       one-line message; {@code IOException} for plain I/O failures
     */
    public InstallResult install(Path source, Path packsDir, TrustPolicy policy, boolean trustAnyway,
                                 ProgressListener progress, BooleanSupplier cancel) throws IOException {
        return install(source, packsDir, policy, trustAnyway, progress, cancel, staged -> { });
    }

    /**
     * Installs a pack as {@link #install(Path, Path, TrustPolicy, boolean, ProgressListener, BooleanSupplier)} does,
     * calling {@code beforeMove} with the fully verified pack, still in its staging folder, right before the one
     * atomic rename that installs it: the caller can record its intent there (an audit entry written before the
     * effect), or refuse by throwing, which leaves nothing installed.
     */
    public InstallResult install(Path source, Path packsDir, TrustPolicy policy, boolean trustAnyway,
                                 ProgressListener progress, BooleanSupplier cancel, Consumer<InstallResult> beforeMove)
            throws IOException {
        Files.createDirectories(packsDir);
        try (Source src = open(source)) {
            long needed = src.totalBytes();
            long free = freeSpace.usableBytes(packsDir);
            if (needed > free) {
                throw new InsufficientSpaceException("The pack needs " + megabytes(needed) + " but only "
                        + megabytes(free) + " are free where packs are installed.");
            }
            long total = 2 * needed;
            try (StagingFolder staging = StagingFolder.create(packsDir, STAGING_PREFIX)) {
                Path temp = staging.path();
                StreamingHasher copier = new StreamingHasher(total, progress, cancel);
                src.copyTo(temp, copier);
                PackManifest manifest = codec.read(temp);
                Path target = packsDir.resolve(manifest.installDirName());
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw alreadyInstalled(manifest);
                }
                TrustResult trust = PackSignatures.evaluate(temp, policy);
                Verdict verdict = trust.verdict();
                if (verdict instanceof Verdict.Invalid) {
                    throw new UntrustedPackException("The pack's signatures are invalid: " + verdict.describe(), verdict);
                }
                if (!verdict.trusted() && !trustAnyway) {
                    throw new UntrustedPackException(verdict.describe()
                            + " It can be installed only if you choose to trust it anyway.", verdict);
                }
                long offset = copier.bytesDone();
                ProgressListener shifted = progress == null ? ProgressListener.NONE
                        : (done, ignored) -> progress.onProgress(Math.min(offset + done, total), total);
                PackContent.verify(temp, manifest, trust.statement().orElse(null), shifted, cancel);
                copier.checkCancel();
                beforeMove.accept(new InstallResult(new InstalledPack(temp, manifest), verdict, !verdict.trusted()));
                moveIntoPlace(temp, target, manifest);
                if (progress != null) {
                    progress.onProgress(total, total);
                }
                return new InstallResult(new InstalledPack(target, manifest), verdict, !verdict.trusted());
            }
        }
    }

    private static void moveIntoPlace(Path temp, Path target, PackManifest manifest) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            throw alreadyInstalled(manifest);
        } catch (AtomicMoveNotSupportedException e) {
            throw new PackException("The packs folder does not support atomic renames; the pack was not installed.", e);
        }
    }

    private static PackAlreadyInstalledException alreadyInstalled(PackManifest m) {
        return new PackAlreadyInstalledException("Pack '" + m.name() + "' version " + m.version()
                + " is already installed.");
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private static Source open(Path source) throws IOException {
        if (Files.isSymbolicLink(source)) {
            throw new PackException("'" + source.getFileName() + "' is a symbolic link; give the pack itself.");
        }
        if (Files.isDirectory(source)) {
            return new FolderSource(source);
        }
        if (Files.isRegularFile(source)) {
            MpackArchive archive = MpackArchive.open(source);
            return new ArchiveSource(archive);
        }
        throw new PackException("'" + source.getFileName() + "' is neither a pack folder nor a .mpack file.");
    }

    /** Where pack files come from. */
    private interface Source extends AutoCloseable {
        long totalBytes();

        void copyTo(Path dir, StreamingHasher copier) throws IOException;

        @Override
        void close() throws IOException;
    }

    private static final class ArchiveSource implements Source {
        private final MpackArchive archive;

        ArchiveSource(MpackArchive archive) {
            this.archive = archive;
        }

        public long totalBytes() {
            return archive.totalBytes();
        }

        public void copyTo(Path dir, StreamingHasher copier) throws IOException {
            archive.extractTo(dir, copier);
        }

        public void close() throws IOException {
            archive.close();
        }
    }

    private static final class FolderSource implements Source {
        private final SortedMap<String, ModelFiles.Entry> files;

        FolderSource(Path root) throws IOException {
            this.files = ModelFiles.list(root, List.of());
            for (String name : files.keySet()) {
                PackPaths.problem(name).ifPresent(p -> {
                    throw new UnsafeArchiveException("The pack folder has a file with " + p + "; refused.");
                });
            }
        }

        public long totalBytes() {
            return files.values().stream().mapToLong(ModelFiles.Entry::size).sum();
        }

        public void copyTo(Path dir, StreamingHasher copier) throws IOException {
            for (ModelFiles.Entry f : files.values()) {
                Path target = dir.resolve(f.name());
                Files.createDirectories(target.getParent());
                long copied;
                try (InputStream in = Files.newInputStream(f.path(), LinkOption.NOFOLLOW_LINKS);
                     OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                    copied = copier.copy(in, out, f.size());
                }
                if (copied != f.size()) {
                    throw new PackException("'" + f.name() + "' changed size while it was being copied.");
                }
            }
        }

        public void close() {
        }
    }
}
