package org.sovereign.cli;

import org.sovereign.core.DesktopLauncher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.Workstation;
import org.sovereign.testing.Fixtures;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sovereign ask --conversation ID --pack NAME} continues the conversation with its history (real tiny Llama). */
class AskConversationCommandTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        pass = Files.writeString(tmp.resolve("pass"), "ask conversation passphrase\n");
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted with a sugar roll every August.");
        assertThat(run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1")).isZero();
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String consent = out.toString().strip();
        assertThat(run("index", notes.toString(), "--consent", consent, "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(run("pack", "import", Fixtures.TINY_LLAMA.toString(), "--out", mpack.toString(),
                "--name", "tiny-llama", "--version", "1.0.0")).as(err.toString()).isZero();
        assertThat(run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
    }

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        String[] full = java.util.Arrays.copyOf(args, args.length + 2);
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

    private int ask(String question, String conversation) {
        return conversation == null
                ? run("ask", question, "--pack", "tiny-llama", "--max-tokens", "16", "--passphrase-file", pass.toString())
                : run("ask", question, "--pack", "tiny-llama", "--max-tokens", "16", "--conversation", conversation,
                "--passphrase-file", pass.toString());
    }

    @Test
    void aContinuedConversationSendsItsEarlierExchangesAndSaysWhenOldOnesAreLeftOut() {
        assertThat(ask("When are varroa mites counted?", null)).as(err.toString()).isZero();
        assertThat(err.toString()).doesNotContain("earlier exchange", "left out");
        Matcher m = Pattern.compile("Conversation (\\d+);").matcher(err.toString());
        assertThat(m.find()).isTrue();
        String id = m.group(1);

        assertThat(ask("And with what are mites counted?", id)).as(err.toString()).isZero();
        assertThat(err.toString()).contains("Sent with 1 earlier exchange of this conversation.", "Conversation " + id + ";");

        // the tiny Llama's context (256 tokens, 16 kept for the answer) cannot hold many exchanges: old ones give way
        String leftOut = null;
        for (int i = 0; i < 6 && leftOut == null; i++) {
            assertThat(ask("Which month are mites counted, again?", id)).as(err.toString()).isZero();
            leftOut = err.toString().lines().filter(l -> l.startsWith("Earlier messages left out to fit the model's context: "))
                    .findFirst().orElse(null);
        }
        assertThat(leftOut).as("older exchanges were left out with a plain note").isNotNull()
                .matches("Earlier messages left out to fit the model's context: \\d+ \\(the .*oldest question.*\\)\\.");
        assertThat(out.toString()).as("the passage is still cited").contains("[1] " + tmp.resolve("notes").resolve("mites.md"));
    }

    @Test
    void aQuestionLongerThanTheContextIsRefusedInPlainWords() {
        String question = "Why are varroa mites counted in August and not in May? ".repeat(6);
        assertThat(ask(question, null)).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("The question does not fit the model's context (256 tokens) even "
                + "without passages or earlier messages: it needs ").endsWith("Ask a shorter question. (--max-tokens sets the answer's length.)");
    }
}
