package org.sovereign.packs.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * ECDSA P-256 key pairs and their PEM files: private keys as PKCS#8 ({@code PRIVATE KEY}, written
 * with permissions 0600 where the file system is POSIX), public keys as SubjectPublicKeyInfo
 * ({@code PUBLIC KEY}). Writes are atomic (temp file + atomic move) and never overwrite.
 */
public final class EcKeys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private EcKeys() {
    }

    /** A fresh P-256 key pair. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            return gen.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This Java runtime cannot generate P-256 keys", e);
        }
    }

    /** Writes a PKCS#8 PEM private key file (0600 on POSIX); fails if {@code file} exists. */
    public static void writePrivateKey(PrivateKey key, Path file) throws IOException {
        writeAtomically(file, pem(PRIVATE, key.getEncoded()), true);
    }

    /** Writes an SPKI PEM public key file; fails if {@code file} exists. */
    public static void writePublicKey(PublicKey key, Path file) throws IOException {
        writeAtomically(file, pem(PUBLIC, key.getEncoded()), false);
    }

    /** Reads a PKCS#8 PEM EC private key. */
    public static PrivateKey readPrivateKey(Path file) throws IOException {
        byte[] der = readPem(file, PRIVATE);
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new KeyFileException("'" + file.getFileName() + "' does not hold an EC private key.", e);
        }
    }

    /** Reads an SPKI PEM EC public key. */
    public static PublicKey readPublicKey(Path file) throws IOException {
        return publicKeyFromPem(readString(file), "'" + file.getFileName() + "'");
    }

    /** Parses SPKI PEM text as an EC public key. */
    public static PublicKey publicKeyFromPem(String pem, String source) {
        return publicKeyFromDer(decodePem(pem, PUBLIC, source), source);
    }

    /** Parses SPKI DER bytes as an EC public key. */
    public static PublicKey publicKeyFromDer(byte[] der, String source) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            if (!(key instanceof ECKey)) {
                throw new KeyFileException(source + " does not hold an EC public key.");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(source + " does not hold an EC public key.", e);
        }
    }

    private static byte[] readPem(Path file, String label) throws IOException {
        return decodePem(readString(file), label, "'" + file.getFileName() + "'");
    }

    private static String readString(Path file) throws IOException {
        try {
            if (Files.size(file) > 64 * 1024) {
                throw new KeyFileException("'" + file.getFileName() + "' is too large to be a key file.");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("The key file '" + file.getFileName() + "' does not exist.", e);
        }
    }

    private static byte[] decodePem(String pem, String label, String source) {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b) {
            throw new KeyFileException(source + " is not a PEM file with a '" + label + "' block.");
        }
        String body = pem.substring(b + begin.length(), e).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException ex) {
            throw new KeyFileException(source + " has a damaged PEM body.", ex);
        }
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static void writeAtomically(Path file, String text, boolean secret) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new KeyFileException("'" + target.getFileName() + "' already exists; key files are never overwritten.");
        }
        Path dir = target.getParent();
        boolean posix = Files.getFileStore(dir).supportsFileAttributeView("posix");
        Path tmp = secret && posix
                ? Files.createTempFile(dir, ".key-", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".key-", ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.US_ASCII);
            if (!secret && posix) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            try {
                // A hard link appears atomically and, unlike a rename, never replaces an existing file.
                Files.createLink(target, tmp);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof FileAlreadyExistsException) {
                    throw (FileAlreadyExistsException) e;
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException ex) {
                    Files.move(tmp, target);
                }
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyFileException("'" + target.getFileName() + "' already exists; key files are never overwritten.", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
