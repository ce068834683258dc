package org.sovereign.core.common;

import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Turns a path read back from the vault into a {@link Path}, whatever the locale of this run. A file indexed under a
 * UTF-8 locale can have a name the JVM cannot represent under another one ({@code LANG=C} makes file names ASCII):
 * {@link Path#of} then throws, with the decrypted path in its message. Here each such character becomes {@code ?},
 * as the file system shows it in that locale, so searches and citations still work and show the rest of the name.
 */
public final class StoredPaths {

    private StoredPaths() {
    }

    public static Path of(String stored) {
        try {
            return Path.of(stored);
        } catch (InvalidPathException unrepresentable) {
            CharsetEncoder names = fileNameCharset().newEncoder();
            StringBuilder sb = new StringBuilder(stored.length());
            for (int i = 0; i < stored.length(); i++) {
                char c = stored.charAt(i);
                sb.append(c != 0 && names.canEncode(c) ? c : '?');
            }
            return Path.of(sb.toString());
        }
    }

    private static Charset fileNameCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
        } catch (RuntimeException unknown) {
            return StandardCharsets.US_ASCII;
        }
    }
}
