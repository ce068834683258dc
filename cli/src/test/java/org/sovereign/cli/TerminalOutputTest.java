package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text from outside (a signed notice, a file name, document text) cannot drive the terminal: escape sequences,
 * carriage returns, new lines and C1 controls in it are printed escaped, so it can neither overwrite nor forge a line.
 */
class TerminalOutputTest {

    /** Erase the line, return to its start, then a new line that looks like ours; CSI as one C1 character too. */
    private static final String HOSTILE = "\u001b[2K\r\n[9] forged\u009b2J";

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        pass = Files.writeString(tmp.resolve("pass"), "terminal output passphrase\n");
        assertThat(run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8",
                "--argon2-iterations", "1", "--no-default-pack")).as(err.toString()).isZero();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] full = Arrays.copyOf(args, args.length + 2);
        full[args.length] = "--data-dir";
        full[args.length + 1] = home.toString();
        return new SovereignCli(new DesktopLauncher() {
            @Override
            public boolean displayAvailable() {
                return false;
            }

            @Override
            public void launch(Workstation context) {
            }
        }).withStreams(new PrintWriter(out), new PrintWriter(err)).execute(full);
    }

    private static void assertNoControls(String printed) {
        assertThat(printed.chars().filter(c -> c != '\n' && (c < 0x20 || (c >= 0x7f && c <= 0x9f))).toArray())
                .as("control characters reaching the terminal in:%n%s", printed).isEmpty();
    }

    @Test
    void aSignedNoticeCannotOverwriteOrForgeTheSignerLine() throws Exception {
        String notice = "I agree." + HOSTILE + "\nSigned by device 0000-forged";
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", tmp.toString(), "--notice", notice)).as(err.toString()).isZero();
        String id = out.toString().strip();
        Path receipt = tmp.resolve("receipt.json");
        assertThat(run("consent", "export", id, "--out", receipt.toString(), "--passphrase-file", pass.toString()))
                .as(err.toString()).isZero();

        assertThat(run("consent", "verify", receipt.toString())).as(err.toString()).isZero();

        String printed = out.toString();
        assertNoControls(printed);
        List<String> lines = printed.lines().toList();
        assertThat(lines).filteredOn(l -> l.startsWith("Signed by device")).hasSize(1)
                .allMatch(l -> !l.contains("forged"));
        assertThat(lines).contains("  | I agree.\\e[2K\\r", "  | [9] forged\\x9b2J", "  | Signed by device 0000-forged");
    }

    @Test
    void fileNamesAndDocumentTextAreShownEscapedInIndexAndSearch() throws Exception {
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Path named = notes.resolve("hive" + HOSTILE + ".md");
        Files.writeString(named, "Queen cells" + HOSTILE + " appear along the lower edge of the frames in May.");
        Files.writeString(notes.resolve("bad" + HOSTILE + ".pdf"), "%PDF-1.7 not really");
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String id = out.toString().strip();

        assertThat(run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString()))
                .as(err.toString()).isZero();
        assertNoControls(out.toString());
        assertNoControls(err.toString().replace("\r[", "[")); // the progress line's own carriage returns
        assertThat(err.toString()).contains("  skipped: bad\\e[2K\\r\\n[9] forged\\x9b2J.pdf could not be read");

        assertThat(run("search", "queen", "cells", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        String printed = out.toString();
        assertNoControls(printed);
        assertThat(printed.lines()).filteredOn(l -> l.startsWith("[")).hasSize(1);
        assertThat(printed).contains("hive\\e[2K\\r\\n[9] forged\\x9b2J.md (passage 1",
                "Queen cells\\e[2K [9] forged\\x9b2J appear");
    }

    @Test
    void theHelperEscapesC0C1DelAndDirectionOverridesAndKeepsOrdinaryText() {
        assertThat(TerminalText.safe("a\tb\u007fc\u0085d\u202ee\u0000f")).isEqualTo("a\\tb\\x7fc\\x85d\\u202ee\\x00f");
        assertThat(TerminalText.safe("Grüße, 東京 C:\\notes")).isEqualTo("Grüße, 東京 C:\\notes");
        assertThat(TerminalText.safeMultiline("line one\n\tline two\r\u001b[1A")).isEqualTo("line one\n\tline two\\r\\e[1A");
    }
}
