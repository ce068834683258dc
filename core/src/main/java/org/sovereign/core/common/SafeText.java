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

    /**
     * {@code text} for people to read on one line, in a terminal or a window: every control or direction-override
     * character is shown escaped, so a file name cannot move a terminal's cursor, colour or erase what is shown, start
     * a line that looks like the program's own, or reorder what is shown. New line, carriage return and tab are
     * written {@code \n}, {@code \r}, {@code \t}; ESC {@code \e}; any other as {@code \xNN} or {@code \}{@code uNNNN}.
     * Backslashes stay as they are (Windows paths): the escaping is for reading, not for reversing. {@code "null"}
     * for null.
     */
    public static String forDisplay(Object text) {
        return escape(String.valueOf(text), false);
    }

    /** The same for text meant to span lines (an answer): new lines and tabs are kept, the rest is escaped. */
    public static String forDisplayMultiline(String text) {
        return escape(text, true);
    }

    private static String escape(String s, boolean keepLines) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean unsafe = isUnsafe(c) && !(keepLines && (c == '\n' || c == '\t'));
            if (unsafe) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                sb.append(switch (c) {
                    case '\n' -> "\\n";
                    case '\r' -> "\\r";
                    case '\t' -> "\\t";
                    case '\u001b' -> "\\e";
                    default -> c < 0x100 ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c);
                });
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
