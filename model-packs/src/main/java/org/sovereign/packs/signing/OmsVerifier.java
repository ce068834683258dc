package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongFunction;

/**
 * Verifies key-based OMS v1.0 bundles: the DSSE signature against a public key, and a model folder
 * against the signed statement. Stateless and thread-safe; {@link #verifyFiles} blocks while hashing.
 */
public final class OmsVerifier {

    /** True when the bundle's DSSE signature verifies with {@code key}; never throws for a wrong key. */
    public boolean signatureMatches(OmsBundle bundle, PublicKey key) {
        try {
            Signature s = Signature.getInstance(EcAlgorithms.signatureAlgorithm(key));
            s.initVerify(key);
            s.update(Dsse.pae(OmsBundle.PAYLOAD_TYPE, bundle.payload()));
            return s.verify(bundle.signature());
        } catch (GeneralSecurityException | KeyFileException e) {
            return false;
        }
    }

    /**
     * Verifies the signature with {@code key}, then parses the statement.
     *
     * @throws BundleFormatException when the signature does not verify or the statement is invalid
     */
    public OmsStatement verify(OmsBundle bundle, PublicKey key) {
        if (!signatureMatches(bundle, key)) {
            throw new BundleFormatException("The signature does not verify with key "
                    + KeyId.shortForm(KeyId.of(key)) + ".");
        }
        return OmsStatement.parse(bundle.payload());
    }

    /**
     * Checks that the files under {@code root} are exactly the statement's resources, with the same
     * SHA-256 digests. Ignores the OMS defaults, the statement's {@code ignore_paths} and {@code alsoIgnore}
     * (e.g. the signature file). Symbolic links are refused.
     *
     * @return the digests computed, by resource name, in resource order
     * @throws FileIntegrityException naming the first missing, extra or changed file
     */
    public Map<String, String> verifyFiles(Path root, OmsStatement statement, Collection<String> alsoIgnore,
                                           ProgressListener progress, BooleanSupplier cancel) throws IOException {
        return verifyFiles(root, statement, alsoIgnore, total -> new StreamingHasher(total, progress, cancel)::sha256);
    }

    /**
     * As {@link #verifyFiles(Path, OmsStatement, Collection, ProgressListener, BooleanSupplier)}, hashing with the
     * digester {@code digesterForTotal} makes for the files' total size (e.g. a {@link FileDigestCache}).
     */
    public Map<String, String> verifyFiles(Path root, OmsStatement statement, Collection<String> alsoIgnore,
                                           LongFunction<FileDigester> digesterForTotal)
            throws IOException {
        if (statement.serialization().allowSymlinks()) {
            throw new BundleFormatException("The signature allows symbolic links, which are not accepted.");
        }
        Set<String> ignore = new LinkedHashSet<>(OmsStatement.DEFAULT_IGNORE_PATHS);
        ignore.addAll(statement.serialization().ignorePaths());
        ignore.addAll(alsoIgnore);
        SortedMap<String, ModelFiles.Entry> files = ModelFiles.list(root, ignore);
        for (OmsResource r : statement.resources()) {
            if (!files.containsKey(r.name())) {
                throw new FileIntegrityException(r.name(), "'" + r.name() + "' is listed in the signature but missing.");
            }
        }
        Set<String> listed = new LinkedHashSet<>();
        statement.resources().forEach(r -> listed.add(r.name()));
        for (String name : files.keySet()) {
            if (!listed.contains(name)) {
                throw new FileIntegrityException(name, "'" + name + "' is not listed in the signature.");
            }
        }
        long total = files.values().stream().mapToLong(ModelFiles.Entry::size).sum();
        FileDigester hasher = digesterForTotal.apply(total);
        Map<String, String> digests = new LinkedHashMap<>();
        for (OmsResource r : statement.resources()) {
            String actual = hasher.sha256(files.get(r.name()).path());
            if (!actual.equals(r.digest())) {
                throw new FileIntegrityException(r.name(), "'" + r.name() + "' has changed since it was signed.");
            }
            digests.put(r.name(), actual);
        }
        return digests;
    }
}
