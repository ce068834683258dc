package org.sovereign.core.packs;

import org.sovereign.core.common.Progress;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.CancellationException;

/**
 * One file of a hub repository as its listing describes it.
 *
 * @param path    the path inside the repository ({@code onnx/model_q4.onnx})
 * @param size    its size in bytes
 * @param sha256  the SHA-256 the hub lists for a large (LFS) file, lower-case hex; null for a small file kept in git
 * @param gitOid  the git blob id (SHA-1 hex) the hub lists; what a small file is checked against
 */
public record HubFile(String path, long size, String sha256, String gitOid) {

    /** The name after the last slash. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** The folder part ({@code onnx/}), or empty at the root. */
    String folder() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash + 1);
    }

    /**
     * Whether {@code file} is this one: its size, and its SHA-256 (large files) or git blob id (small files) as listed.
     * A file the listing gives neither digest for never matches.
     */
    boolean matches(Path file, Progress progress) throws IOException {
        if (Files.size(file) != size) {
            return false;
        }
        String algorithm = sha256 != null ? "SHA-256" : "SHA-1";
        String expected = sha256 != null ? sha256 : gitOid;
        if (expected == null) {
            return false;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (sha256 == null) {
            digest.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[256 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (progress.isCancelled()) {
                    throw new CancellationException("Check cancelled");
                }
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest()).equals(expected.toLowerCase(Locale.ROOT));
    }
}
