package org.sovereign.core.packs;

import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.packs.pack.InstalledPack;
import org.sovereign.packs.pack.MpackWriter;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackSigner;
import org.sovereign.packs.signing.EcKeys;
import org.sovereign.packs.signing.KeyId;
import org.sovereign.packs.signing.OmsBundle;
import org.sovereign.packs.signing.OmsStatement;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.TrustPolicy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;

/**
 * What a pack publisher does with keys: create a P-256 signing key pair and sign a pack folder or {@code .mpack} with
 * it (OpenSSF Model Signing). Works on files only; needs no vault and no data directory. Signing blocks while it hashes
 * every file.
 */
public final class PublisherKeys {

    private final PackInstaller installer = new PackInstaller();

    /** Writes a fresh P-256 key pair to {@code key} (PKCS#8, 0600) and {@code key}.pub; returns its key id. */
    public String keygen(Path key) {
        Path pub = publicKeyFile(key);
        for (Path p : List.of(key, pub)) {
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                throw new UserFacingException(p + " already exists; key files are never overwritten.");
            }
        }
        KeyPair pair = EcKeys.generate();
        return PackFailures.translate(() -> {
            EcKeys.writePrivateKey(pair.getPrivate(), key);
            try {
                EcKeys.writePublicKey(pair.getPublic(), pub);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(key);
                throw e;
            }
            return KeyId.of(pair.getPublic());
        });
    }

    /** Signs a pack folder or {@code .mpack} in place with {@code key} (and {@code key}.pub); returns the key id. */
    public String sign(Path pack, Path key, Progress progress) {
        KeyPair pair = readKeyPair(key);
        return PackFailures.translate(() -> {
            if (Files.isDirectory(pack, LinkOption.NOFOLLOW_LINKS)) {
                new PackSigner().sign(pack, pair, ByteProgress.of(progress, "Hashing"), progress::isCancelled);
                return KeyId.of(pair.getPublic());
            }
            requireFile(pack);
            Path parent = pack.toAbsolutePath().getParent();
            Path temp = Files.createTempDirectory(parent, ".sign-");
            try {
                InstalledPack extracted = installer.install(pack, temp, TrustPolicy.none(), true,
                        ProgressListener.NONE, () -> false).pack();
                Files.deleteIfExists(extracted.directory().resolve(PackLayout.PRIMARY_SIGNATURE));
                PackFolders.deleteQuietly(extracted.directory().resolve(PackLayout.SIGNATURES_DIR));
                new PackSigner().sign(extracted.directory(), pair, ByteProgress.of(progress, "Hashing"), progress::isCancelled);
                new MpackWriter().write(extracted.directory(), pack);
            } finally {
                PackFolders.deleteQuietly(temp);
            }
            return KeyId.of(pair.getPublic());
        });
    }

    /**
     * The digest of a signed pack folder's statement, {@code sha256:HEX}: what a cooperative votes on to adopt it.
     *
     * @throws UserFacingException when the folder carries no readable {@code model.sig}
     */
    public String signedDigest(Path packFolder) {
        Path sig = packFolder.resolve(PackLayout.PRIMARY_SIGNATURE);
        if (!Files.isRegularFile(sig, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException(packFolder + " is not a signed pack folder (it has no "
                    + PackLayout.PRIMARY_SIGNATURE + ").");
        }
        return PackFailures.translate(() -> "sha256:"
                + OmsStatement.parse(OmsBundle.parse(Files.readAllBytes(sig)).payload()).subjectDigest());
    }

    /**
     * Adds a co-signature with {@code key} (and {@code key}.pub) to a signed pack folder, over the statement its
     * {@code model.sig} signs; returns the key id.
     */
    public String cosign(Path packFolder, Path key) {
        signedDigest(packFolder);
        KeyPair pair = readKeyPair(key);
        return PackFailures.translate(() -> {
            new PackSigner().cosign(packFolder, pair);
            return KeyId.of(pair.getPublic());
        });
    }

    private static Path publicKeyFile(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static KeyPair readKeyPair(Path key) {
        Path pub = publicKeyFile(key);
        return PackFailures.translate(() -> {
            PrivateKey priv = EcKeys.readPrivateKey(key);
            if (!Files.isRegularFile(pub)) {
                throw new UserFacingException("The public key " + pub + " is missing; it must sit beside the private key.");
            }
            PublicKey publicKey = EcKeys.readPublicKey(pub);
            if (!matches(priv, publicKey)) {
                throw new UserFacingException(pub + " is not the public key of " + key + ".");
            }
            return new KeyPair(publicKey, priv);
        });
    }

    private static boolean matches(PrivateKey priv, PublicKey pub) {
        try {
            byte[] probe = "sovereign key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(priv);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static void requireFile(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new UserFacingException(file + " is neither a pack folder nor a .mpack file.");
        }
    }
}
