package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.BooleanSupplier;

/**
 * Produces key-based OMS v1.0 bundles (method {@code files}, {@code sha256}, no symlinks) with ECDSA.
 * Stateless and thread-safe; {@link #sign} blocks while it hashes every file.
 */
public final class OmsSigner {

    /**
     * Hashes every file under {@code root} (except the OMS default ignores and {@code ignorePaths}) and signs
     * the resulting statement.
     *
     * @param subjectName informational subject name (OMS: the model folder's name)
     * @param ignorePaths further top-level relative paths to exclude, e.g. the signature file itself
     */
    public OmsBundle sign(Path root, String subjectName, List<String> ignorePaths, KeyPair key,
                          ProgressListener progress, BooleanSupplier cancel) throws IOException {
        Set<String> ignore = new LinkedHashSet<>(OmsStatement.DEFAULT_IGNORE_PATHS);
        ignore.addAll(ignorePaths);
        SortedMap<String, ModelFiles.Entry> files = ModelFiles.list(root, ignore);
        if (files.isEmpty()) {
            throw new FileIntegrityException("", "There are no files to sign.");
        }
        long total = files.values().stream().mapToLong(ModelFiles.Entry::size).sum();
        StreamingHasher hasher = new StreamingHasher(total, progress, cancel);
        List<OmsResource> resources = new ArrayList<>();
        for (Map.Entry<String, ModelFiles.Entry> e : files.entrySet()) {
            resources.add(new OmsResource(e.getKey(), OmsStatement.SHA256, hasher.sha256(e.getValue().path())));
        }
        return sign(OmsStatement.of(subjectName, resources, List.copyOf(ignore)), key);
    }

    /** Signs a statement. */
    public OmsBundle sign(OmsStatement statement, KeyPair key) {
        return signPayload(statement.toJson(), key.getPrivate(), key.getPublic());
    }

    /** Co-signs: a new bundle over exactly the same payload as {@code existing}, with another key. */
    public OmsBundle cosign(OmsBundle existing, KeyPair key) {
        OmsStatement.parse(existing.payload());
        return signPayload(existing.payload(), key.getPrivate(), key.getPublic());
    }

    private static OmsBundle signPayload(byte[] payload, PrivateKey privateKey, PublicKey publicKey) {
        try {
            Signature s = Signature.getInstance(EcAlgorithms.signatureAlgorithm(publicKey));
            s.initSign(privateKey);
            s.update(Dsse.pae(OmsBundle.PAYLOAD_TYPE, payload));
            return new OmsBundle(KeyId.of(publicKey), null, payload, s.sign());
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("The private key cannot sign with ECDSA.", e);
        }
    }
}
