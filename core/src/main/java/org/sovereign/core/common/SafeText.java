package org.sovereign.core.common;

/**
 * Makes a name that came from outside (a file name, a pack name) safe to write into a log line: control characters
 * (C0 including tab and new line, DEL, C1) and the Unicode direction overrides are written as {@code \}{@code uXXXX},
 * so a name cannot start a forged log line or carry terminal escape sequences to whoever reads the log.
 */
public final class SafeText {

    private SafeText() {
    }

    /** {@code text} with every control or direction-override character escaped; {@code "null"} for null. */
    public static String forLog(Object text) {
        String s = String.valueOf(text);
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isUnsafe(c)) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(String.format("\\u%04x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** C0, DEL, C1, and the bidirectional embedding, override and isolate characters. */
    public static boolean isUnsafe(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
