package org.sovereign.packs.pack;

import org.sovereign.packs.signing.FileDigester;
import org.sovereign.packs.signing.FileIntegrityException;
import org.sovereign.packs.signing.ModelFiles;
import org.sovereign.packs.signing.OmsResource;
import org.sovereign.packs.signing.OmsStatement;
import org.sovereign.packs.signing.OmsVerifier;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/** Checks a pack folder's files against its manifest and (when signed) its signed statement. */
final class PackContent {
    private PackContent() {
    }

    /**
     * Fast structural check: exactly the manifest's files (plus manifest and signatures) are present,
     * with the manifest's sizes; no symbolic links. No hashing.
     */
    static void checkStructure(Path dir, PackManifest manifest) throws IOException {
        SortedMap<String, ModelFiles.Entry> files = ModelFiles.list(dir, List.of());
        Map<String, PackFile> listed = new LinkedHashMap<>();
        manifest.files().forEach(f -> listed.put(f.path(), f));
        for (String name : files.keySet()) {
            if (!name.equals(PackLayout.MANIFEST) && !PackLayout.isSignaturePath(name) && !listed.containsKey(name)) {
                throw new FileIntegrityException(name, "'" + name + "' is in the pack but not listed in manifest.json.");
            }
        }
        for (PackFile f : listed.values()) {
            ModelFiles.Entry actual = files.get(f.path());
            if (actual == null) {
                throw new FileIntegrityException(f.path(), "'" + f.path() + "' is listed in manifest.json but missing.");
            }
            if (actual.size() == 0 && f.size() > 0) {
                throw new FileIntegrityException(f.path(), "'" + f.path() + "' is empty (0 bytes) but manifest.json says "
                        + f.size() + " bytes.");
            }
            if (actual.size() != f.size()) {
                throw new FileIntegrityException(f.path(), "'" + f.path() + "' has " + actual.size()
                        + " bytes but manifest.json says " + f.size() + ".");
            }
        }
    }

    /**
     * Full check: {@link #checkStructure}, then every file hashed once and compared with the manifest and,
     * when {@code statement} is not null, with the signed statement (which must cover exactly the manifest
     * and the listed files).
     */
    static void verify(Path dir, PackManifest manifest, OmsStatement statement, ProgressListener progress,
                       BooleanSupplier cancel) throws IOException {
        verify(dir, manifest, statement, total -> new StreamingHasher(total, progress, cancel)::sha256);
    }

    /** As above, hashing with the digester {@code digesterForTotal} makes for the pack's total size. */
    static void verify(Path dir, PackManifest manifest, OmsStatement statement,
                       LongFunction<FileDigester> digesterForTotal) throws IOException {
        checkStructure(dir, manifest);
        Map<String, String> digests;
        if (statement != null) {
            Set<String> expected = new HashSet<>();
            expected.add(PackLayout.MANIFEST);
            manifest.files().forEach(f -> expected.add(f.path()));
            Set<String> signed = new HashSet<>();
            for (OmsResource r : statement.resources()) {
                signed.add(r.name());
                if (!expected.contains(r.name())) {
                    throw new FileIntegrityException(r.name(), "The signature lists '" + r.name()
                            + "', which manifest.json does not.");
                }
            }
            for (String name : expected) {
                if (!signed.contains(name)) {
                    throw new FileIntegrityException(name, "'" + name + "' is not covered by the signature.");
                }
            }
            digests = new OmsVerifier().verifyFiles(dir, statement,
                    List.of(PackLayout.PRIMARY_SIGNATURE, PackLayout.SIGNATURES_DIR), digesterForTotal);
        } else {
            FileDigester hasher = digesterForTotal.apply(manifest.totalBytes());
            digests = new LinkedHashMap<>();
            for (PackFile f : manifest.files()) {
                digests.put(f.path(), hasher.sha256(dir.resolve(f.path())));
            }
        }
        for (PackFile f : manifest.files()) {
            if (!f.sha256().equals(digests.get(f.path()))) {
                throw new FileIntegrityException(f.path(), "'" + f.path() + "' does not match its SHA-256 in manifest.json.");
            }
        }
    }
}
