package org.sovereign.core.packs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sovereign.core.common.SafeText;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackKind;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.TrustPolicy;
import org.sovereign.packs.signing.Verdict;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The installed packs in {@code <data dir>/packs}: finding one by name, listing them with their state, and the trust
 * policy of this data directory. Reads only (installing and removing are {@link PackInstallation}'s); on creation it
 * deletes the temporary folders a crashed install, verification or removal left behind. Never blocks on a model.
 */
public final class PackCatalog {

    public static final String PACKS_DIR = "packs";
    static final String VERIFY_PREFIX = ".verify-";
    static final String REMOVING_PREFIX = ".removing-";
    /** Where a Hugging Face folder is turned into a pack before it is installed. */
    static final String IMPORT_PREFIX = ".importing-";
    private static final Logger LOG = LoggerFactory.getLogger(PackCatalog.class);

    private final Path dataDir;

    public PackCatalog(Path dataDir) {
        this.dataDir = dataDir;
        cleanStaleFolders();
    }

    /**
     * Deletes temporary folders a crashed install, verification or removal left in the packs folder. Folders whose
     * owner (this or another process) still holds their lock are left alone.
     */
    private void cleanStaleFolders() {
        try {
            List<Path> removed = StagingFolder.cleanStale(packsDir(),
                    List.of(PackInstaller.STAGING_PREFIX, VERIFY_PREFIX, REMOVING_PREFIX, IMPORT_PREFIX));
            if (!removed.isEmpty()) {
                LOG.info("Removed {} unfinished pack folder(s) left by an interrupted run: {}", removed.size(),
                        SafeText.forLog(removed));
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up unfinished pack folders in {}: {}", SafeText.forLog(packsDir()),
                    SafeText.forLog(e.getMessage()));
        }
    }

    public Path packsDir() {
        return dataDir.resolve(PACKS_DIR);
    }

    /** Trusted keys: {@code extraKeys} plus {@code <data dir>/trust/*.pub}. */
    TrustPolicy trustPolicy(List<Path> extraKeys) {
        return PackTrust.policy(dataDir, extraKeys);
    }

    /** Trusted keys as {@link #trustPolicy(List)}, and packs enough keys of one of {@code cooperatives} signed. */
    TrustPolicy trustPolicy(List<Path> extraKeys, List<org.sovereign.packs.signing.Cooperative> cooperatives) {
        return PackTrust.policy(dataDir, extraKeys, cooperatives);
    }

    /** The installed packs, sorted by folder name; damaged folders are listed with their problem. */
    public List<PackSummary> list() {
        TrustPolicy policy = trustPolicy(List.of());
        List<PackSummary> rows = new ArrayList<>();
        for (Path dir : packFolders()) {
            String id = dir.getFileName().toString();
            try {
                InstalledPack pack = InstalledPack.open(dir);
                PackManifest m = pack.manifest();
                String state;
                try {
                    pack.fastCheck();
                    state = "files ok";
                } catch (RuntimeException e) {
                    state = "damaged: " + PackFailures.oneLine(e.getMessage());
                }
                Verdict v = pack.signatureVerdict(policy);
                state += ", signature " + VerdictText.shortWord(v);
                rows.add(new PackSummary(id, m.name(), m.version(), kindName(m.kind()), m.totalBytes(),
                        signer(m, v, dir), state, m.licence().spdxId()));
            } catch (IOException | RuntimeException e) {
                rows.add(new PackSummary(id, id, "?", "?", 0, "?",
                        "unreadable: " + PackFailures.oneLine(e.getMessage()), "?"));
            }
        }
        return rows;
    }

    /**
     * Finds an installed pack by NAME (one version installed) or NAME-VERSION; optionally checks its files.
     *
     * @throws PackFailure ({@link PackFailure.NotInstalled}) when none matches
     */
    InstalledPack find(String name, boolean check) {
        List<InstalledPack> matches = new ArrayList<>();
        for (Path dir : packFolders()) {
            try {
                InstalledPack p = InstalledPack.open(dir);
                if (p.manifest().name().equals(name) || p.manifest().installDirName().equals(name)) {
                    matches.add(p);
                }
            } catch (IOException | RuntimeException ignored) {
                // damaged folders are shown by list()
            }
        }
        if (matches.isEmpty()) {
            boolean bundled = DefaultPack.locate().filter(d -> d.name().equals(name)).isPresent();
            throw new PackFailure(new PackFailure.NotInstalled(name, bundled));
        }
        if (matches.size() > 1) {
            throw new UserFacingException("Several versions of '" + name + "' are installed; give NAME-VERSION, e.g. '"
                    + matches.get(0).manifest().installDirName() + "'.");
        }
        InstalledPack pack = matches.get(0);
        if (check) {
            PackFailures.translate(() -> {
                pack.fastCheck();
                return null;
            });
        }
        return pack;
    }

    /** The install folders, sorted by name; dot folders (staging, verifying, removing) are never packs. */
    List<Path> packFolders() {
        Path dir = packsDir();
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                if (!p.getFileName().toString().startsWith(".") && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UserFacingException("The packs folder " + dir + " cannot be read.", e);
        }
        out.sort(Comparator.comparing(p -> p.getFileName().toString()));
        return out;
    }

    /** Hex SHA-256 of the pack's {@code manifest.json}: what consent and the audit log name it by. */
    static String manifestDigest(InstalledPack pack) {
        return PackFailures.translate(() -> PackFolders.sha256(pack.directory().resolve(PackLayout.MANIFEST)));
    }

    /** Key ids named by the pack's signature bundles, trusted or not; unreadable bundles are skipped. */
    static List<String> signerIds(Path packDir) {
        List<Path> bundles = new ArrayList<>(List.of(packDir.resolve(PackLayout.PRIMARY_SIGNATURE)));
        Path more = packDir.resolve(PackLayout.SIGNATURES_DIR);
        if (Files.isDirectory(more, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(more, "*.sig")) {
                s.forEach(bundles::add);
            } catch (IOException ignored) {
                // listed as far as readable
            }
        }
        List<String> ids = new ArrayList<>();
        for (Path b : bundles) {
            try {
                if (Files.isRegularFile(b, LinkOption.NOFOLLOW_LINKS) && Files.size(b) <= OmsBundle.MAX_BYTES) {
                    OmsBundle bundle = OmsBundle.parse(Files.readAllBytes(b));
                    bundle.keyHint().or(() -> bundle.rawPublicKey().map(KeyId::of)).ifPresent(ids::add);
                }
            } catch (IOException | RuntimeException ignored) {
                // an unreadable bundle makes the verdict INVALID anyway
            }
        }
        return ids;
    }

    /** Who signed the pack, in plain words. */
    static String signer(PackManifest m, Verdict v, Path dir) {
        if (v instanceof Verdict.TrustedPublisher t) {
            return "trusted publisher " + KeyId.shortForm(t.keyId());
        }
        if (v instanceof Verdict.UntrustedSignature u) {
            List<String> ids = u.signerKeyIds().isEmpty() ? signerIds(dir) : u.signerKeyIds();
            return ids.isEmpty() ? "untrusted key" : "untrusted key " + KeyId.shortForm(ids.get(0));
        }
        if (isBundled(m, v)) {
            return "bundled with this build (verified by digest)";
        }
        return VerdictText.shortWord(v);
    }

    /** The verdict in plain words; the bundled pack says how it is trusted instead of "unsigned". */
    static String trustText(PackManifest m, Verdict v, Path dir) {
        if (isBundled(m, v)) {
            return "Bundled with this build: checked against the digest built into the program.";
        }
        return VerdictText.describe(v, signerIds(dir));
    }

    private static boolean isBundled(PackManifest m, Verdict v) {
        return v instanceof Verdict.Unsigned && m.provenance() != null
                && DefaultPack.CONVERTER.equals(m.provenance().converter());
    }

    static String kindName(PackKind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
