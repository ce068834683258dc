package org.sovereign.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.DesktopLauncher;
import org.sovereign.core.Workstation;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A library indexed under a UTF-8 locale and searched under {@code LANG=C} (the JVM then cannot name a non-ASCII
 * file): the search still answers, and neither the terminal nor the log gets an internal error or the path.
 */
class NonUtf8LocaleTest {

    @TempDir
    Path tmp;

    private int runHere(Path home, StringWriter out, StringWriter err, String... args) {
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

    @Test
    void anInternalErrorIsLoggedWithItsTypesAndStackButNotItsMessages() {
        Exception e = new IllegalStateException("/home/me/diary/secret.md",
                new UncheckedIOException("quoting the document", new IOException("more text")));

        Throwable logged = SovereignCli.withoutMessages(e);

        StringWriter trace = new StringWriter();
        logged.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).contains("java.lang.IllegalStateException", "java.io.UncheckedIOException",
                        "java.io.IOException", "NonUtf8LocaleTest")
                .doesNotContain("secret.md", "quoting the document", "more text");
    }

    @Test
    void searchUnderTheCLocaleFindsADocumentWithANonAsciiNameWithoutLoggingIt() throws Exception {
        Path home = tmp.resolve("home");
        Path pass = Files.writeString(tmp.resolve("pass"), "c locale passphrase\n");
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("Bienenstöcke im Winter.md"), "Varroa counts drop sharply in a broodless December.");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertThat(runHere(home, out, err, "vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib",
                "8", "--argon2-iterations", "1", "--no-default-pack")).as(err.toString()).isZero();
        assertThat(runHere(home, out = new StringWriter(), err, "consent", "grant", "--passphrase-file", pass.toString(),
                "--purpose", "private assistant", "--operations", "index", "--source", notes.toString())).isZero();
        String id = out.toString().strip();
        assertThat(runHere(home, out, err, "index", notes.toString(), "--consent", id, "--passphrase-file",
                pass.toString())).as(err.toString()).isZero();

        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ChildCli.class.getName(),
                "search", "varroa", "broodless", "--passphrase-file", pass.toString(), "--data-dir", home.toString()));
        ProcessBuilder child = new ProcessBuilder(command).redirectErrorStream(true);
        child.environment().put("LANG", "C");
        child.environment().put("LC_ALL", "C");
        child.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = child.start();
        byte[] printed = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String text = new String(printed, StandardCharsets.US_ASCII);

        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("Internal error").contains("[1] ", "Bienenst", "im Winter.md (passage 1",
                "Varroa counts drop sharply");
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.toList()) {
                String content = Files.readString(log, StandardCharsets.ISO_8859_1);
                assertThat(content).doesNotContain("Bienenst", "Varroa", notes.toString());
            }
        }
    }
}
