package org.sovereign.core.packs;

import org.sovereign.packs.pack.FileTrees;
import org.sovereign.packs.pack.ManifestCodec;
import org.sovereign.packs.pack.PackFile;
import org.sovereign.packs.pack.PackLayout;
import org.sovereign.packs.pack.PackManifest;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.signing.StreamingHasher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Small file helpers for building pack folders: digests, the manifest's file list, recursive delete. */
final class PackFolders {

    private PackFolders() {
    }

    /** Lists every file of {@code dir} (except the manifest) with size and SHA-256, and writes manifest.json. */
    static PackManifest writeManifest(Path dir, PackManifest withoutFiles) throws IOException {
        List<PackFile> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                String rel = dir.relativize(p).toString().replace('\\', '/');
                if (!rel.equals(PackLayout.MANIFEST)) {
                    files.add(new PackFile(rel, Files.size(p), sha256(p)));
                }
            }
        }
        PackManifest m = withoutFiles;
        PackManifest full = new PackManifest(m.formatVersion(), m.name(), m.version(), m.kind(), files, m.model(),
                m.tokenizer(), m.chatTemplate(), m.generation(), m.contextLength(), m.hardware(), m.licence(),
                m.provenance(), m.modelCard());
        Files.write(dir.resolve(PackLayout.MANIFEST), new ManifestCodec().write(full));
        return full;
    }

    /** Makes a written archive readable by others (rw-r--r--) where the file system is POSIX. */
    static void makeShareable(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static String sha256(Path file) throws IOException {
        return new StreamingHasher(0, ProgressListener.NONE, () -> false)
                .sha256(file);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Deletes a folder tree, ignoring failures (used to clean up temporary folders). */
    static void deleteQuietly(Path dir) {
        FileTrees.deleteQuietly(dir);
    }
}
