package org.sovereign.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.testing.Fixtures;

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
    private CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "ask conversation passphrase\n");
        Path notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("mites.md"), "Varroa mites are counted with a sugar roll every August.");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1")).isZero();
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String consent = cli.out().strip();
        assertThat(cli.run("index", notes.toString(), "--consent", consent, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", Fixtures.TINY_LLAMA.toString(), "--out", mpack.toString(),
                "--name", "tiny-llama", "--version", "1.0.0")).as(cli.err()).isZero();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
    }


    private int ask(String question, String conversation) {
        return conversation == null
                ? cli.run("ask", question, "--pack", "tiny-llama", "--max-tokens", "16", "--passphrase-file", pass.toString())
                : cli.run("ask", question, "--pack", "tiny-llama", "--max-tokens", "16", "--conversation", conversation,
                "--passphrase-file", pass.toString());
    }

    @Test
    void aContinuedConversationSendsItsEarlierExchangesAndSaysWhenOldOnesAreLeftOut() {
        assertThat(ask("When are varroa mites counted?", null)).as(cli.err()).isZero();
        assertThat(cli.err()).doesNotContain("earlier exchange", "left out");
        Matcher m = Pattern.compile("Conversation (\\d+);").matcher(cli.err());
        assertThat(m.find()).isTrue();
        String id = m.group(1);

        assertThat(ask("And with what are mites counted?", id)).as(cli.err()).isZero();
        assertThat(cli.err()).contains("Sent with 1 earlier exchange of this conversation.", "Conversation " + id + ";");

        // the tiny Llama's context (256 tokens, 16 kept for the answer) cannot hold many exchanges: old ones give way
        String leftOut = null;
        for (int i = 0; i < 6 && leftOut == null; i++) {
            assertThat(ask("Which month are mites counted, again?", id)).as(cli.err()).isZero();
            leftOut = cli.err().lines().filter(l -> l.startsWith("Earlier messages left out to fit the model's context: "))
                    .findFirst().orElse(null);
        }
        assertThat(leftOut).as("older exchanges were left out with a plain note").isNotNull()
                .matches("Earlier messages left out to fit the model's context: \\d+ \\(the .*oldest question.*\\)\\.");
        assertThat(cli.out()).as("the passage is still cited").contains("[1] " + tmp.resolve("notes").resolve("mites.md"));
    }

    @Test
    void aQuestionLongerThanTheContextIsRefusedInPlainWords() {
        String question = "Why are varroa mites counted in August and not in May? ".repeat(6);
        assertThat(ask(question, null)).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("The question does not fit the model's context (256 tokens) even "
                + "without passages or earlier messages: it needs ").endsWith("Ask a shorter question. (--max-tokens sets the answer's length.)");
    }
}
