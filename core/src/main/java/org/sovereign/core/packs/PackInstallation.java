package org.sovereign.core.packs;

import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.importer.HfPackImporter;
import org.sovereign.packs.importer.ModelVariant;
import org.sovereign.packs.pack.InstallResult;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.ManifestCodec;
import org.sovereign.packs.pack.PackException;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.pack.UntrustedPackException;
import org.sovereign.packs.signing.Cooperative;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.OmsException;
import org.sovereign.packs.signing.OperationCancelledException;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Putting packs on this computer and checking them: verify without installing, install (a publisher's pack or the
 * one bundled with this build), re-verify an installed pack, and remove one. Installs, rejections and re-verifications
 * are recorded in the audit log, so installing needs the vault. Installs stage in locked {@code packs/.installing-*}
 * folders and leave nothing half-written. Every method blocks while it hashes files; the long ones take a
 * {@code cancel} flag polled between buffers.
 */
public final class PackInstallation {

    private final PackCatalog catalog;
    private final ModelRuntime runtime;
    private final StoreService store;
    private final Path dataDir;
    private final PackInstaller installer = new PackInstaller();

    /**
     * @param runtime unloads the models of a removed or damaged pack
     * @param store   opens the vault for the audit entries of an install
     */
    public PackInstallation(Path dataDir, PackCatalog catalog, ModelRuntime runtime, StoreService store) {
        this.dataDir = dataDir;
        this.catalog = catalog;
        this.runtime = runtime;
        this.store = store;
    }

    // ---------------------------------------------------------------- verify

    /**
     * Checks a pack folder or {@code .mpack} without installing it: archive safety, manifest, signatures and every
     * file's digest. Trusted keys are {@code trustKeys} plus {@code <data dir>/trust/*.pub}.
     */
    public PackVerification verify(Path pack, List<Path> trustKeys, Progress progress) {
        return verify(pack, trustKeys, ByteProgress.of(progress, "Checking"), progress::isCancelled);
    }

    /** @throws CancellationException when cancelled (nothing is left behind) */
    private PackVerification verify(Path pack, List<Path> trustKeys, ProgressListener progress, BooleanSupplier cancel) {
        TrustPolicy policy = catalog.trustPolicy(trustKeys);
        requireExists(pack);
        return PackFailures.translate(() -> {
            // Same file system as real installs (space check, no small tmpfs); dot folders are never listed as packs.
            try (StagingFolder temp = StagingFolder.create(Files.createDirectories(catalog.packsDir()),
                    PackCatalog.VERIFY_PREFIX)) {
                InstallResult r = installer.install(pack, temp.path(), policy, true, progress, cancel);
                return new PackVerification(r.verdict(), PackCatalog.signerIds(r.pack().directory()));
            } catch (OperationCancelledException e) {
                throw new CancellationException("Verification cancelled");
            } catch (UntrustedPackException e) {
                return new PackVerification(e.verdict(), List.of());
            } catch (PackException | OmsException e) {
                return new PackVerification(new Verdict.Invalid(PackFailures.oneLine(e.getMessage())), List.of());
            }
        });
    }

    // ---------------------------------------------------------------- install

    /**
     * Installs a pack into {@code <data dir>/packs}. Needs the vault (the install is audited): refused with
     * {@link PackFailure.NoVault} when there is none. Unsigned or untrusted packs only with {@code trustAnyway}, which
     * is audited as {@code pack.trusted_anyway}; a refused pack is audited as {@code pack.rejected}.
     */
    public InstallResult install(Path source, List<Path> trustKeys, boolean trustAnyway, Supplier<char[]> passphrase,
                                 Progress progress) {
        requireVault();
        TrustPolicy policy = catalog.trustPolicy(trustKeys);
        requireExists(source);
        try (LocalStore local = store.unlock(passphrase.get())) {
            return install(local, source, policy, trustAnyway, ByteProgress.of(progress, "Installing"),
                    progress::isCancelled);
        }
    }

    /**
     * Installs a pack with a store the caller has unlocked already, never trusting anyway, and trusting a pack that
     * enough keys of one of {@code cooperatives} signed (a cooperative that names its adopted packs vouches only for
     * those) as well as the keys in {@code <data dir>/trust}; audited as the other installs are.
     *
     * @throws CancellationException when cancelled (nothing is installed)
     */
    public InstallResult installTrustedBy(LocalStore local, Path source, List<Cooperative> cooperatives,
                                          Progress progress) {
        requireExists(source);
        return install(local, source, catalog.trustPolicy(List.of(), cooperatives), false,
                ByteProgress.of(progress, "Installing"), progress::isCancelled);
    }

    /**
     * Installs a pack with a store the caller has unlocked already (the desktop), trusting the keys in
     * {@code <data dir>/trust}; audited as {@link #install(Path, List, boolean, Supplier, Progress)} is.
     *
     * @throws CancellationException when cancelled (nothing is installed)
     */
    public InstallResult install(LocalStore local, Path source, boolean trustAnyway, Progress progress) {
        requireExists(source);
        return install(local, source, catalog.trustPolicy(List.of()), trustAnyway, ByteProgress.of(progress, "Installing"),
                progress::isCancelled);
    }

    private InstallResult install(LocalStore local, Path source, TrustPolicy policy, boolean trustAnyway,
                                  ProgressListener progress, BooleanSupplier cancel) {
        InstallResult result;
        InstallAudit audit = new InstallAudit(local, staged -> staged.trustedAnyway() ? "trusted-anyway" : "signature",
                Map.of());
        try {
            result = PackFailures.translate(() -> {
                try {
                    return installer.install(source, catalog.packsDir(), policy, trustAnyway, progress, cancel, audit);
                } catch (OperationCancelledException e) {
                    throw new CancellationException("Install cancelled");
                }
            });
        } catch (UserFacingException e) {
            if (e.getCause() instanceof UntrustedPackException u) {
                local.record(AuditTypes.PACK_REJECTED, Map.of("file", String.valueOf(source.getFileName()),
                        "verdict", u.verdict().status().name().toLowerCase(Locale.ROOT)));
            }
            throw e;
        }
        audit.installed(result);
        return result;
    }

    /**
     * What installing a Hugging Face folder did.
     *
     * @param install the installed pack
     * @param variant the variant it holds
     * @param choice  why that variant, in one sentence
     */
    public record FolderInstall(InstallResult install, ModelVariant variant, String choice) {
    }

    /**
     * Imports a Hugging Face ONNX folder ({@link PackImport}) and installs the pack, in one step: the person chose the
     * folder on this computer, so the pack is unsigned and installed on their word, audited as
     * {@code pack.trusted_anyway} and {@code pack.installed} with trust {@code local-folder} and the variant. The
     * archive is built in a locked temporary folder inside the packs folder and deleted afterwards, whatever happens.
     * Progress runs once over both steps (building the pack about three fifths, installing the rest).
     *
     * @param variant a variant key, precision or file name; null for the best fit for this computer
     * @throws CancellationException when cancelled (nothing is installed, nothing is left behind)
     */
    public FolderInstall installFolder(LocalStore local, Path folder, String variant, Progress progress) {
        requireExists(folder);
        try (StagingFolder temp = PackFailures.translate(() -> StagingFolder.create(
                Files.createDirectories(catalog.packsDir()), PackCatalog.IMPORT_PREFIX))) {
            Path mpack = temp.path().resolve("import.mpack");
            HfPackImporter.Result built = new PackImport().importFolder(folder, mpack,
                    new HfPackImporter.Options(null, null, null, null, variant), share(progress, 0, 0.6));
            InstallAudit audit = new InstallAudit(local, staged -> "local-folder",
                    Map.of("variant", built.variant().key()));
            InstallResult result = PackFailures.translate(() -> {
                try {
                    return installer.install(mpack, catalog.packsDir(), catalog.trustPolicy(List.of()), true,
                            ByteProgress.of(share(progress, 0.6, 1), "Installing"), progress::isCancelled, audit);
                } catch (OperationCancelledException e) {
                    throw new CancellationException("Install cancelled");
                }
            });
            audit.installed(result);
            return new FolderInstall(result, built.variant(), built.choice());
        }
    }

    /** The part {@code [from, to]} of {@code whole}: each step reports its own done/total, the bar moves once. */
    private static Progress share(Progress whole, double from, double to) {
        return new Progress() {
            @Override
            public void update(long done, long total, String message) {
                long scale = 1_000_000;
                double part = total <= 0 ? 0 : Math.min(1, done / (double) total);
                whole.update(Math.round((from + (to - from) * part) * scale), scale, message);
            }

            @Override
            public boolean isCancelled() {
                return whole.isCancelled();
            }
        };
    }

    /**
     * Installs the embedding pack bundled with this build (audited like any install). It has no publisher
     * signature: it is accepted because its manifest digest equals the one built into this program, and every file
     * is verified against that manifest.
     */
    public InstallResult installDefault(Supplier<char[]> passphrase, Progress progress) {
        requireVault();
        try (LocalStore local = store.unlock(passphrase.get())) {
            return installDefault(local, progress);
        }
    }

    /**
     * The same, with a store the caller has unlocked already (and keeps open); stoppable: {@code progress} is asked
     * between buffers, and a cancelled install leaves the packs folder as it was and ends with a
     * {@link UserFacingException}.
     *
     * @throws PackFailure ({@link PackFailure.DefaultPackMissing}) when this build bundles no pack
     */
    public InstallResult installDefault(LocalStore local, Progress progress) {
        ProgressListener bytes = ByteProgress.of(progress, "Installing the bundled search model");
        BooleanSupplier cancel = progress::isCancelled;
        DefaultPack bundled = DefaultPack.locate()
                .orElseThrow(() -> new PackFailure(new PackFailure.DefaultPackMissing()));
        InstallAudit audit = new InstallAudit(local, staged -> "bundled-digest", Map.of()) {
            @Override
            public void accept(InstallResult staged) {
                // checked before the pack is moved into place: a mismatching one is never installed
                if (!PackCatalog.manifestDigest(staged.pack()).equals(bundled.manifestSha256())) {
                    local.record(AuditTypes.PACK_REJECTED, Map.of("file", bundled.mpack().getFileName().toString(),
                            "verdict", "digest-mismatch"));
                    throw new UserFacingException("The bundled pack " + bundled.mpack() + " does not match the "
                            + "digest recorded in this build; it was not installed.");
                }
                super.accept(staged);
            }
        };
        InstallResult result = PackFailures.translate(() -> installer.install(bundled.mpack(), catalog.packsDir(),
                TrustPolicy.none(), true, bytes, cancel, audit));
        String digest = PackCatalog.manifestDigest(result.pack());
        audit.installed(result);
        local.record(AuditTypes.PACK_VERIFIED, Map.of("pack", result.pack().manifest().installDirName(),
                "manifest", digest, "trust", "bundled-digest"));
        return result;
    }

    /** True when this build bundles a default pack that is not installed yet. */
    public boolean defaultPackPending() {
        Optional<String> name = defaultPackName();
        if (name.isEmpty()) {
            return false;
        }
        try {
            catalog.find(name.get(), false);
            return false;
        } catch (UserFacingException notInstalled) {
            return true;
        }
    }

    /** The size in bytes of the bundled default pack's archive, if this build has one. */
    public Optional<Long> defaultPackSize() {
        return DefaultPack.locate().map(d -> {
            try {
                return Files.size(d.mpack());
            } catch (IOException e) {
                return -1L;
            }
        });
    }

    /** The bundled default pack's name, if this build has one. */
    public Optional<String> defaultPackName() {
        return DefaultPack.locate().map(DefaultPack::name);
    }

    /**
     * The audit entries of one install, around its one effect, the atomic rename of the verified pack into the packs
     * folder. The rename cannot share a transaction with the vault, so the entries bracket it: {@code pack.installing}
     * (the pack, its manifest digest and how it is trusted; {@code pack.trusted_anyway} before it when the person
     * chose that) is committed before the rename, {@code pack.installed} (naming the intent's sequence number) after.
     * A crash can then leave an intent without its completion, which says "this install may not have taken effect"
     * (the packs folder tells), but never an installed pack without any entry. Recording only after the rename could
     * leave that; recording only before could claim an install that never happened.
     */
    private static class InstallAudit implements Consumer<InstallResult> {
        private final LocalStore local;
        private final Function<InstallResult, String> trust;
        private final Map<String, String> extra;
        private Map<String, String> refs;
        private AuditEntry intent;

        InstallAudit(LocalStore local, Function<InstallResult, String> trust, Map<String, String> extra) {
            this.local = local;
            this.trust = trust;
            this.extra = extra;
        }

        /** Before the rename, with the verified pack still in its staging folder. */
        @Override
        public void accept(InstallResult staged) {
            PackManifest m = staged.pack().manifest();
            String how = trust.apply(staged);
            // the bundled pack carries no signature by design: it is verified against the digest built into this
            // program, which is what its entry says (not "unsigned, trusted anyway", which would alarm a reader)
            boolean bundled = how.equals("bundled-digest");
            refs = new HashMap<>(Map.of("pack", m.installDirName(),
                    "manifest", PackCatalog.manifestDigest(staged.pack()), "trust", how,
                    "verdict", bundled ? how : staged.verdict().status().name().toLowerCase(Locale.ROOT)));
            refs.putAll(extra);
            signerKey(staged.verdict()).ifPresent(k -> refs.put("signer", k));
            if (staged.trustedAnyway() && !bundled) {
                local.record(AuditTypes.PACK_TRUSTED_ANYWAY, refs);
            }
            intent = local.record(AuditTypes.PACK_INSTALLING, refs);
        }

        /** After the rename; if even this cannot be recorded, the pack is taken out again. */
        void installed(InstallResult result) {
            try {
                Map<String, String> done = new HashMap<>(refs);
                done.put("intent", Long.toString(intent.sequence()));
                local.record(AuditTypes.PACK_INSTALLED, done);
            } catch (RuntimeException e) {
                PackFolders.deleteQuietly(result.pack().directory());
                throw e;
            }
        }
    }

    // ---------------------------------------------------------------- re-verify, remove

    /**
     * The outcome of a full re-verification.
     *
     * @param ok      every file matches and the signatures still verify
     * @param message plain words: what was checked, or what is wrong
     * @param file    the file at fault, when one is named
     */
    public record ReverifyResult(boolean ok, String message, Optional<String> file) {
    }

    /**
     * Re-hashes every file of an installed pack and re-checks its signatures, streaming with progress. A damaged
     * pack is unloaded. Recorded in the audit log when {@code local} is given.
     *
     * @throws CancellationException when cancelled
     */
    public ReverifyResult reverify(String id, LocalStore local, Progress progress) {
        InstalledPack pack = catalog.find(id, false);
        ProgressListener bytes = ByteProgress.of(progress, "Re-checking " + pack.manifest().name());
        BooleanSupplier cancel = progress::isCancelled;
        PackManifest m = pack.manifest();
        TrustPolicy policy = catalog.trustPolicy(List.of());
        ReverifyResult result;
        try {
            Verdict v = pack.reverify(policy, bytes, cancel);
            result = new ReverifyResult(true, "All " + m.files().size() + " files match the manifest"
                    + (v.status() == Verdict.Status.UNSIGNED ? "." : " and the signature.") + " "
                    + PackCatalog.trustText(m, v, pack.directory()), Optional.empty());
        } catch (OperationCancelledException e) {
            throw new CancellationException("Re-verification cancelled");
        } catch (FileIntegrityException e) {
            result = new ReverifyResult(false, "The file '" + e.file() + "' does not match what the pack recorded: "
                    + PackFailures.oneLine(e.getMessage()) + " Remove the pack and install it again from a good copy.",
                    Optional.of(e.file()));
        } catch (UntrustedPackException e) {
            result = new ReverifyResult(false, "The signature no longer checks out: "
                    + PackFailures.oneLine(e.verdict().describe()), Optional.empty());
        } catch (PackException | OmsException e) {
            result = new ReverifyResult(false, PackFailures.oneLine(e.getMessage()), Optional.empty());
        } catch (IOException e) {
            throw new UserFacingException("The pack " + id + " could not be read: " + e.getMessage(), e);
        }
        if (!result.ok()) {
            runtime.unload(pack.directory().getFileName().toString());
        }
        if (local != null) {
            Map<String, String> refs = new HashMap<>(Map.of("pack", m.installDirName(),
                    "manifest", PackCatalog.manifestDigest(pack), "result", result.ok() ? "ok" : "failed"));
            result.file().ifPresent(f -> refs.put("file", f));
            local.record(AuditTypes.PACK_VERIFIED, refs);
        }
        return result;
    }

    /**
     * Removes an installed pack given as NAME (when one version is installed) or NAME-VERSION; its loaded models are
     * unloaded (a model in use closes when its task ends). A folder whose manifest cannot be read (listed as
     * "unreadable") is removed by its folder name. Needs the vault, since the removal is audited. Returns the removed
     * pack's id.
     */
    public String remove(String name, Supplier<char[]> passphrase) {
        requireVault();
        installedFolder(name); // "not installed" before the passphrase is asked for
        try (LocalStore local = store.unlock(passphrase.get())) {
            return remove(local, name);
        }
    }

    /**
     * The same, with a store the caller has unlocked already. Audited as {@code pack.removing} before the folder is
     * renamed out of the packs folder (the one step that removes it: the renamed folder is never listed, and is
     * deleted now or at the next start) and {@code pack.removed} after, for the reasons given at {@link InstallAudit}.
     */
    public String remove(LocalStore local, String name) {
        Path dir = installedFolder(name);
        String id = dir.getFileName().toString();
        Map<String, String> refs = new HashMap<>(Map.of("pack", id));
        manifestDigestOf(dir).ifPresent(d -> refs.put("manifest", d));
        runtime.unload(id); // closed now, or when the task using it finishes
        AuditEntry intent = local.record(AuditTypes.PACK_REMOVING, refs);
        PackFailures.translate(() -> {
            Path doomed = catalog.packsDir().resolve(PackCatalog.REMOVING_PREFIX + dir.getFileName());
            Files.move(dir, doomed, StandardCopyOption.ATOMIC_MOVE);
            PackFolders.deleteQuietly(doomed);
            return null;
        });
        refs.put("intent", Long.toString(intent.sequence()));
        local.record(AuditTypes.PACK_REMOVED, refs);
        return id;
    }

    /** The manifest's digest, if it is a plain file of a manifest's size (a pipe or a device must not block). */
    private static Optional<String> manifestDigestOf(Path dir) {
        Path manifest = dir.resolve(PackLayout.MANIFEST);
        try {
            BasicFileAttributes a = Files.readAttributes(manifest, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!a.isRegularFile() || a.size() > ManifestCodec.MAX_MANIFEST_BYTES) {
                return Optional.empty();
            }
            return Optional.of(PackFolders.sha256(manifest));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // an unreadable pack is still removed, by its folder name
        }
    }

    // ---------------------------------------------------------------- helpers

    private Path installedFolder(String name) {
        try {
            return catalog.find(name, false).directory();
        } catch (PackFailure notReadable) {
            return catalog.packFolders().stream().filter(p -> p.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> notReadable);
        }
    }

    private void requireVault() {
        if (!store.vaultExists()) {
            throw new PackFailure(new PackFailure.NoVault(dataDir));
        }
    }

    private static void requireExists(Path file) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException("The file " + file + " does not exist.");
        }
    }

    private static Optional<String> signerKey(Verdict v) {
        if (v instanceof Verdict.TrustedPublisher t) {
            return Optional.of(t.keyId());
        }
        if (v instanceof Verdict.UntrustedSignature u && !u.signerKeyIds().isEmpty()) {
            return Optional.of(String.join(",", u.signerKeyIds()));
        }
        return Optional.empty();
    }
}
