package org.sovereign.packs.pack;

import java.util.Optional;

/**
 * Rules for paths inside a pack (manifest entries and archive entries): relative, forward slashes only,
 * no empty, {@code .} or {@code ..} segments, no drive letters, no control characters.
 */
public final class PackPaths {
    private static final int MAX_LENGTH = 512;

    private PackPaths() {
    }

    /** Why {@code path} is not a safe pack path, or empty when it is. */
    public static Optional<String> problem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("an empty path");
        }
        if (path.length() > MAX_LENGTH) {
            return Optional.of("a path longer than " + MAX_LENGTH + " characters");
        }
        if (path.indexOf('\\') >= 0) {
            return Optional.of("a backslash in '" + printable(path) + "'");
        }
        if (path.startsWith("/")) {
            return Optional.of("an absolute path '" + printable(path) + "'");
        }
        if (path.length() >= 2 && path.charAt(1) == ':' && Character.isLetter(path.charAt(0))) {
            return Optional.of("a drive-letter path '" + printable(path) + "'");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f || c == ':') {
                return Optional.of("a forbidden character in '" + printable(path) + "'");
            }
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("a '..' segment in '" + printable(path) + "'");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                return Optional.of("an empty or '.' segment in '" + printable(path) + "'");
            }
        }
        return Optional.empty();
    }

    /** Path text made safe for a one-line message. */
    static String printable(String path) {
        StringBuilder sb = new StringBuilder();
        for (char c : path.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
