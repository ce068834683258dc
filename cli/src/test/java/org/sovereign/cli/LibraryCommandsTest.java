package org.sovereign.cli;

import org.sovereign.core.DesktopLauncher;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.Workstation;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LibraryCommandsTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private Path notes;
    private StringWriter out;
    private StringWriter err;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        pass = Files.writeString(tmp.resolve("pass"), "library commands passphrase\n");
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("hives.md"), "Check the hive entrance for dead bees after a cold night.");
        assertThat(run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1")).isZero();
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

    @Test
    void indexesUnderAConsentAndSearches() {
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String id = out.toString().strip();

        assertThat(run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("1 indexed, 0 unchanged, 0 could not be read, 1 passages stored (keyword index only: the consent does not allow 'embed')");
        assertThat(err.toString()).contains("[0/1] Indexing hives.md");

        assertThat(run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString()).startsWith("[1] " + notes.resolve("hives.md")).contains("after a cold night");
    }

    @Test
    void withAConsentToEmbedTheBundledPackMakesSearchSemanticAndAskAnswersWithCitations() throws Exception {
        Files.writeString(notes.resolve("mites.md"), "Varroa destructor is counted with a sugar roll every August.");
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,embed,generate", "--source", notes.toString())).isZero();
        String id = out.toString().strip();
        assertThat(run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("2 indexed", "(with embeddings)");

        // no word in common with either note: only the embeddings can find them
        assertThat(run("search", "parasites", "infesting", "honeybee", "colonies", "--limit", "2", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString()).contains("[1] ", "[2] ", notes.resolve("mites.md").toString());
        assertThat(err.toString()).as("the vectors load with the window's progress line")
                .contains("Preparing search over your library\u2026 100 %");

        assertThat(run("ask", "When", "are", "varroa", "counted?", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Retrieved passages").contains("mites.md: Varroa destructor is counted");
        assertThat(err.toString()).contains("recorded as audit entry", "under consent " + id);

        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(run("pack", "import", org.sovereign.testing.Fixtures.TINY_LLAMA.toString(), "--out", mpack.toString(),
                "--name", "tiny-llama", "--version", "1.0.0")).as(err.toString()).isZero();
        assertThat(run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(run("ask", "When", "are", "varroa", "counted?", "--pack", "tiny-llama", "--max-tokens", "8",
                "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("[1] " + notes.resolve("mites.md"));
        assertThat(err.toString()).contains("tokens/s", "under consent " + id);
    }

    @Test
    void askContinuesAConversationThatConversationsListShows() {
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String consent = out.toString().strip();
        assertThat(run("index", notes.toString(), "--consent", consent, "--passphrase-file", pass.toString())).isZero();
        assertThat(run("conversations", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo("No conversations yet.");

        assertThat(run("ask", "dead", "bees?", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Conversation (\\d+);").matcher(err.toString());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        assertThat(run("ask", "cold", "night?", "--conversation", id, "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(err.toString()).contains("Conversation " + id + ";");

        assertThat(run("conversations", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString().strip()).startsWith(id + "  ").endsWith("2 questions  dead bees?");
        assertThat(run("ask", "bees", "--conversation", "999", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).isEqualTo("There is no conversation 999.");
    }

    @Test
    void aSourceOutsideTheConsentIsRefusedWithAClearMessage() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("mail"));
        Files.writeString(other.resolve("m.txt"), "private mail");
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String id = out.toString().strip();

        assertThat(run("index", other.toString(), "--consent", id, "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("No consent allows index for 'private assistant'.")
                .contains("does not cover " + other);
        assertThat(run("search", "private", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo("Nothing in your library matches.");
    }

    @Test
    void afterWithdrawalSearchFindsNothingAndEraseDestroysTheSource() {
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String id = out.toString().strip();
        assertThat(run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).isZero();
        assertThat(run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString()).startsWith("[1] " + notes.resolve("hives.md"));

        assertThat(run("consent", "withdraw", id, "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString().strip()).isEqualTo("Consent " + id + " withdrawn.");
        assertThat(run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo("Nothing in your library matches.");

        // a second consent, indexed again, then withdrawn with --erase: the source is gone from the vault for good
        assertThat(run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String second = out.toString().strip();
        assertThat(run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(out.toString()).as("covered again by the new consent").startsWith("[1] " + notes.resolve("hives.md"));
        assertThat(run("consent", "withdraw", second, "--erase", "--passphrase-file", pass.toString())).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Erased from the library: " + notes);
        assertThat(run("audit", "show", "--limit", "4")).isZero();
        assertThat(out.toString()).contains("consent.withdrawn").contains("document.erased");
    }
}
