package org.sovereign.packs.pack;

import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsSigner;
import org.sovereign.packs.signing.ProgressListener;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Signs pack folders: the publisher writes {@code model.sig}; co-signers add {@code signatures/<keyid>.sig}
 * over the same statement. Files are written atomically. Blocks while hashing.
 */
public final class PackSigner {
    private final ManifestCodec codec = new ManifestCodec();
    private final OmsSigner signer = new OmsSigner();

    /** Checks the pack against its manifest, then signs it and writes {@code model.sig}. */
    public OmsBundle sign(Path packDir, KeyPair key, ProgressListener progress, BooleanSupplier cancel)
            throws IOException {
        PackManifest manifest = codec.read(packDir);
        PackContent.verify(packDir, manifest, null, ProgressListener.NONE, cancel);
        OmsBundle bundle = signer.sign(packDir, manifest.installDirName(),
                List.of(PackLayout.PRIMARY_SIGNATURE, PackLayout.SIGNATURES_DIR), key, progress, cancel);
        writeAtomically(packDir.resolve(PackLayout.PRIMARY_SIGNATURE), bundle.toJson());
        return bundle;
    }

    /** Adds a co-signature over {@code model.sig}'s statement as {@code signatures/<first 16 hex of key id>.sig}. */
    public OmsBundle cosign(Path packDir, KeyPair key) throws IOException {
        OmsBundle primary = OmsBundle.parse(Files.readAllBytes(packDir.resolve(PackLayout.PRIMARY_SIGNATURE)));
        OmsBundle bundle = signer.cosign(primary, key);
        Path dir = Files.createDirectories(packDir.resolve(PackLayout.SIGNATURES_DIR));
        writeAtomically(dir.resolve(KeyId.shortForm(KeyId.of(key.getPublic())) + ".sig"), bundle.toJson());
        return bundle;
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".sig-", ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
