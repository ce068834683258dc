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
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

class LibraryCommandsTest {

    @TempDir
    Path tmp;
    private Path home;
    private Path pass;
    private Path notes;
    private CliRun cli;

    @BeforeEach
    void setUp() throws Exception {
        home = tmp.resolve("home");
        cli = new CliRun(home);
        pass = Files.writeString(tmp.resolve("pass"), "library commands passphrase\n");
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("hives.md"), "Check the hive entrance for dead bees after a cold night.");
        assertThat(cli.run("vault", "init", "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1")).isZero();
    }


    @Test
    void indexesUnderAConsentAndSearches() {
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String id = cli.out().strip();

        assertThat(cli.run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("1 indexed, 0 unchanged, 0 could not be read, 1 passages stored (keyword index only: the consent does not allow 'embed')");
        assertThat(cli.err()).contains("[0/1] Indexing hives.md");

        assertThat(cli.run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("[1] " + notes.resolve("hives.md")).contains("after a cold night");
    }

    @Test
    void withAConsentToEmbedTheBundledPackMakesSearchSemanticAndAskAnswersWithCitations() throws Exception {
        Files.writeString(notes.resolve("mites.md"), "Varroa destructor is counted with a sugar roll every August.");
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,embed,generate", "--source", notes.toString())).isZero();
        String id = cli.out().strip();
        assertThat(cli.run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("2 indexed", "(with embeddings)");

        // no word in common with either note: only the embeddings can find the one about the hive
        assertThat(cli.run("search", "parasites", "infesting", "honeybee", "colonies", "--limit", "2", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("[1] " + notes.resolve("hives.md"));
        assertThat(cli.err()).as("the vectors load with the window's progress line")
                .contains("Preparing search over your library\u2026 100 %");

        assertThat(cli.run("ask", "When", "are", "varroa", "counted?", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).startsWith("Retrieved passages").contains("mites.md: Varroa destructor is counted");
        assertThat(cli.err()).contains("recorded as audit entry", "under consent " + id);

        Path mpack = tmp.resolve("tiny.mpack");
        assertThat(cli.run("pack", "import", Fixtures.TINY_LLAMA.toString(), "--out", mpack.toString(),
                "--name", "tiny-llama", "--version", "1.0.0")).as(cli.err()).isZero();
        assertThat(cli.run("pack", "install", mpack.toString(), "--trust-anyway", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.run("ask", "When", "are", "varroa", "counted?", "--pack", "tiny-llama", "--max-tokens", "8",
                "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("[1] " + notes.resolve("mites.md"));
        assertThat(cli.err()).contains("tokens/s", "under consent " + id);
    }

    @Test
    void aWordFindsOnlyTheFileAboutItAndTheSummaryListsWhatWasIndexedAndWhatWasNot() throws Exception {
        Files.writeString(notes.resolve("mites.txt"), "Dust mites live in mattresses, pillows and carpets and feed on "
                + "flakes of skin. Washing bedding at 60 degrees every week keeps them down.");
        Files.writeString(notes.resolve("bikes.txt"), "Check the tyre pressure before every ride and oil the chain "
                + "after riding in the rain.");
        Files.writeString(notes.resolve("pantry.txt"), "Flour, rice and pasta keep for months in airtight jars in a "
                + "cool, dark cupboard.");
        Files.write(notes.resolve("report.docx"), new byte[] {0x50, 0x4b, 3, 4});
        Files.write(notes.resolve("photo.png"), new byte[] {(byte) 0x89, 0x50, 0x4e, 0x47});
        Files.writeString(notes.resolve(".hidden"), "editor state");
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,embed,generate", "--source", notes.toString())).isZero();
        String id = cli.out().strip();

        assertThat(cli.run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("4 indexed", "(with embeddings)",
                "  indexed: bikes.txt, hives.md, mites.txt, pantry.txt",
                "  2 files not read (type not supported):",
                "    photo.png was skipped: the library does not read .png files (it reads text, Markdown, HTML and PDF).",
                "    report.docx was skipped: the library does not read .docx files").doesNotContain(".hidden");

        assertThat(cli.run("search", "mites", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("[1] " + notes.resolve("mites.txt")).doesNotContain("[2]");
        assertThat(cli.run("ask", "mites", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("[1] mites.txt: Dust mites").doesNotContain("[2]");
        assertThat(cli.run("search", "piano", "lessons", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo("No good match: nothing in your library is close to \u201cpiano lessons\u201d.");
    }

    @Test
    void withAnEmptyLibrarySearchAndAskSayToIndexAFolder() {
        assertThat(cli.run("search", "mites", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo(LibraryCommands.EMPTY_LIBRARY);
        assertThat(cli.run("ask", "what", "about", "mites?", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo(LibraryCommands.EMPTY_LIBRARY);
        assertThat(LibraryCommands.EMPTY_LIBRARY).contains("sovereign index");
    }

    @Test
    void markdownPassagesAreShownWithoutHeadingMarks() throws Exception {
        Files.writeString(notes.resolve("swarm.md"), "## Swarming\n\nQueen cells along the bottom of the frame mean "
                + "the colony is about to swarm.");
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String id = cli.out().strip();
        assertThat(cli.run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).isZero();

        assertThat(cli.run("search", "swarming", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("    Swarming  Queen cells").doesNotContain("#");
        assertThat(cli.run("ask", "swarming", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).contains("swarm.md: Swarming  Queen cells").doesNotContain("#");
    }

    @Test
    void askContinuesAConversationThatConversationsListShows() {
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String consent = cli.out().strip();
        assertThat(cli.run("index", notes.toString(), "--consent", consent, "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.run("conversations", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo("No conversations yet.");

        assertThat(cli.run("ask", "dead", "bees?", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        Matcher m = Pattern.compile("Conversation (\\d+);").matcher(cli.err());
        assertThat(m.find()).isTrue();
        String id = m.group(1);
        assertThat(cli.run("ask", "cold", "night?", "--conversation", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.err()).contains("Conversation " + id + ";");

        assertThat(cli.run("conversations", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).startsWith(id + "  ").endsWith("2 questions  dead bees?");
        assertThat(cli.run("ask", "bees", "--conversation", "999", "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("There is no conversation 999.");

        assertThat(cli.run("conversations", "delete", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out().strip()).isEqualTo("Conversation " + id + " deleted.");
        assertThat(cli.run("conversations", "list", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo("No conversations yet.");
        assertThat(cli.run("conversations", "delete", id, "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).isEqualTo("Conversation " + id + " was deleted; its key is erased.");
        assertThat(cli.run("audit", "show", "--type", "conversation.erased")).isZero();
        assertThat(cli.out()).contains("scope=" + id);
    }

    @Test
    void aSourceOutsideTheConsentIsRefusedWithAClearMessage() throws Exception {
        Path other = Files.createDirectories(tmp.resolve("mail"));
        Files.writeString(other.resolve("m.txt"), "private mail");
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String id = cli.out().strip();

        assertThat(cli.run("index", other.toString(), "--consent", id, "--passphrase-file", pass.toString())).isEqualTo(1);
        assertThat(cli.err().strip()).startsWith("No consent allows index for 'private assistant'.")
                .contains("does not cover " + other);
        assertThat(cli.run("search", "private", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo(LibraryCommands.EMPTY_LIBRARY);
    }

    @Test
    void afterWithdrawalSearchFindsNothingAndEraseDestroysTheSource() {
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index,generate", "--source", notes.toString())).isZero();
        String id = cli.out().strip();
        assertThat(cli.run("index", notes.toString(), "--consent", id, "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).startsWith("[1] " + notes.resolve("hives.md"));

        assertThat(cli.run("consent", "withdraw", id, "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out().strip()).isEqualTo("Consent " + id + " withdrawn.");
        assertThat(cli.run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out().strip()).isEqualTo("No good match: nothing in your library is close to \u201cdead bees\u201d.");

        // a second consent, indexed again, then withdrawn with --erase: the source is gone from the vault for good
        assertThat(cli.run("consent", "grant", "--passphrase-file", pass.toString(), "--purpose", "private assistant",
                "--operations", "index", "--source", notes.toString())).isZero();
        String second = cli.out().strip();
        assertThat(cli.run("search", "dead", "bees", "--passphrase-file", pass.toString())).isZero();
        assertThat(cli.out()).as("covered again by the new consent").startsWith("[1] " + notes.resolve("hives.md"));
        assertThat(cli.run("consent", "withdraw", second, "--erase", "--passphrase-file", pass.toString())).as(cli.err()).isZero();
        assertThat(cli.out()).contains("Erased from the library: " + notes);
        assertThat(cli.run("audit", "show", "--limit", "4")).isZero();
        assertThat(cli.out()).contains("consent.withdrawn").contains("document.erased");
    }
}
