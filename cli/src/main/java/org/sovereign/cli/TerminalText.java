package org.sovereign.cli;

import org.sovereign.core.common.SafeText;

/**
 * Makes text that came from outside (file names, document text, consent notices, conversation titles, pack fields,
 * audit references) safe to print on a terminal, so it cannot move the cursor, erase or overwrite a line, or start a
 * line that looks like the command's own output.
 *
 * <p>Escaped: every C0 control character (tab included in {@link #safe}: a name never needs one), DEL, every C1
 * control character (U+0080 to U+009F, which some terminals act on like ESC sequences) and the Unicode direction
 * overrides and isolates (which reorder what is shown). New line, carriage return and tab are written {@code \n},
 * {@code \r}, {@code \t}; ESC {@code \e}; any other as {@code \xNN} or {@code \}{@code uNNNN}. Backslashes stay as they are
 * (Windows paths), so the escaping is meant for reading, not for reversing. The window shows names through the same
 * {@link SafeText#forDisplay}.
 */
final class TerminalText {

    private TerminalText() {
    }

    /** {@code value} on one line with every control character escaped; {@code "null"} for null. */
    static String safe(Object value) {
        return SafeText.forDisplay(value);
    }

    /**
     * For text meant to span lines (a generated answer): new lines and tabs are kept, every other control character
     * (a lone carriage return included) is escaped as in {@link #safe}.
     */
    static String safeMultiline(String text) {
        return SafeText.forDisplayMultiline(text);
    }
}
