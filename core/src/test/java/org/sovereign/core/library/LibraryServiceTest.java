package org.sovereign.core.library;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.HashingEmbedder;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Indexing and searching real files into a real vault (keyword retrieval; vectors come with the embedding pack). */
class LibraryServiceTest {

    private static final String PURPOSE = "private assistant";

    @TempDir
    Path tmp;
    private Path notes;
    private LocalStore store;
    private LibraryService library;

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("bees.md"), "# Bees\n\nVarroa mites are counted with a sugar roll in August. "
                + "A strong colony keeps them in check.");
        Files.writeString(notes.resolve("garden.html"), "<html><body><p>Tomatoes need staking when they reach knee height.</p></body></html>");
        Files.writeString(notes.resolve("broken.pdf"), "%PDF-1.7 not really");
        store = LocalStore.create(tmp.resolve("home"), "library test passphrase".toCharArray(),
                TestKdf.FAST, Clock.systemUTC());
        library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(), Chunker.defaults(), null);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private void consentFor(Path source) {
        ConsentFixture.consent().purpose(PURPOSE).source(source).operations(Operation.INDEX, Operation.GENERATE).grantIn(store);
    }

    private List<String> auditTypes() {
        return store.audit().entries(0, store.audit().size()).stream().map(AuditEntry::type).toList();
    }

    @Test
    void nothingIsReadWithoutConsent() {
        assertThatThrownBy(() -> library.index(notes, PURPOSE, Progress.NONE)).isInstanceOf(ConsentRefusedException.class);
        assertThat(library.sources()).isEmpty();
        assertThat(store.session().scopes()).noneMatch(s -> s.kind().equals("source"));
    }

    @Test
    void indexesWhatItCanReportsWhatItCannotAndFindsPassagesByKeyword() throws Exception {
        consentFor(notes);

        IndexReport report = library.index(notes, PURPOSE, Progress.NONE);

        assertThat(report.indexed()).containsExactlyInAnyOrder(notes.resolve("bees.md"), notes.resolve("garden.html"));
        assertThat(report.failed()).containsOnlyKeys(notes.resolve("broken.pdf"));
        assertThat(report.failed().get(notes.resolve("broken.pdf"))).startsWith("broken.pdf could not be read");
        assertThat(auditTypes()).filteredOn(AuditTypes.DOCUMENT_INGESTED::equals).hasSize(2);

        List<Passage> hits = library.search("how are varroa mites counted", 3);
        assertThat(hits).isNotEmpty();
        Passage best = hits.get(0);
        assertThat(best.document()).isEqualTo(notes.resolve("bees.md"));
        String extracted = new TextExtractor().extract(notes.resolve("bees.md"));
        assertThat(extracted.substring(best.start(), best.end())).isEqualTo(best.text()).contains("sugar roll");
    }

    @Test
    void unchangedFilesAreSkippedAndChangedOnesReplaced() throws Exception {
        consentFor(notes);
        library.index(notes, PURPOSE, Progress.NONE);

        IndexReport again = library.index(notes, PURPOSE, Progress.NONE);
        assertThat(again.indexed()).isEmpty();
        assertThat(again.unchanged()).hasSize(2);

        Files.writeString(notes.resolve("garden.html"), "<p>Courgettes want full sun and lots of water.</p>");
        IndexReport changed = library.index(notes, PURPOSE, Progress.NONE);
        assertThat(changed.indexed()).containsExactly(notes.resolve("garden.html"));
        assertThat(library.search("tomatoes staking", 5)).isEmpty();
        assertThat(library.search("courgettes", 5)).extracting(Passage::document).containsExactly(notes.resolve("garden.html"));
    }

    @Test
    void aCancelledRunKeepsWhatItDidAndTheNextRunContinues() throws Exception {
        consentFor(notes);
        Progress cancelAfterFirst = new Progress() {
            int updates;

            @Override
            public void update(long done, long total, String message) {
                updates++;
            }

            @Override
            public boolean isCancelled() {
                return updates >= 2; // stops once the second file has started

            }
        };

        IndexReport first = library.index(notes, PURPOSE, cancelAfterFirst);
        assertThat(first.cancelled()).isTrue();
        assertThat(first.indexed()).containsExactly(notes.resolve("bees.md"));
        assertThat(library.search("tomatoes", 5)).isEmpty();

        IndexReport second = library.index(notes, PURPOSE, Progress.NONE);
        assertThat(second.cancelled()).isFalse();
        assertThat(second.unchanged()).containsExactly(notes.resolve("bees.md"));
        assertThat(second.indexed()).containsExactly(notes.resolve("garden.html"));
        assertThat(library.search("tomatoes", 5)).hasSize(1);
    }

    @Test
    void forgettingASourceErasesItForGood() throws Exception {
        consentFor(notes);
        library.index(notes, PURPOSE, Progress.NONE);

        library.forget(notes);

        assertThat(library.sources()).isEmpty();
        assertThat(library.search("varroa", 5)).isEmpty();
        assertThat(auditTypes()).contains(AuditTypes.DOCUMENT_ERASED);
    }

    @Test
    void aLinkToAFolderOutsideTheConsentIsNeverRead() throws Exception {
        Path ssh = Files.createDirectories(tmp.resolve("ssh"));
        Files.writeString(ssh.resolve("id_rsa.txt"), "BEGIN PRIVATE KEY sesame");
        Files.createSymbolicLink(notes.resolve("sshdir"), ssh);
        Files.createSymbolicLink(notes.resolve("key.txt"), ssh.resolve("id_rsa.txt"));
        consentFor(notes);

        assertThatThrownBy(() -> library.index(notes.resolve("sshdir/id_rsa.txt"), PURPOSE, Progress.NONE))
                .isInstanceOf(ConsentRefusedException.class);
        IndexReport report = library.index(notes, PURPOSE, Progress.NONE);

        assertThat(report.indexed()).doesNotContain(notes.resolve("key.txt"), notes.resolve("sshdir/id_rsa.txt"));
        assertThat(report.failed()).containsKey(notes.resolve("key.txt"));
        assertThat(report.failed().get(notes.resolve("key.txt"))).contains("leads outside the folders the consent covers");
        assertThat(library.search("sesame private key", 5)).isEmpty();
    }

    /**
     * Issue 15 (found by CliCrashSafetyTest): a document was committed first and its audit entry appended after, so a
     * failure in between (there a SIGKILL; here the in-memory vector store refusing a vector after the commit) left a
     * stored document without its entry. The entry now comes first: every stored document has one.
     */
    @Test
    void aFailureAfterTheDocumentIsCommittedNeverLeavesItWithoutItsAuditEntry() throws Exception {
        ConsentFixture.consent().purpose(PURPOSE).source(notes).operations(Operation.INDEX, Operation.EMBED).grantIn(store);
        ChunkStore vectors = ChunkStore.forSession(store.session());
        LibraryService embedding = new LibraryService(store, vectors, new TextExtractor(), Chunker.defaults(),
                new HashingEmbedder());
        embedding.index(notes, PURPOSE, Progress.NONE);
        embedding.loadVectors(Progress.NONE); // the in-memory store now holds 384-dimension vectors
        long before = auditTypes().stream().filter(AuditTypes.DOCUMENT_INGESTED::equals).count();

        Files.writeString(notes.resolve("late.md"), "Queen cells appear in May.");
        Embedder narrow = new Embedder() {
            @Override
            public String packDigest() {
                return new HashingEmbedder().packDigest();
            }

            @Override
            public List<float[]> embed(List<String> texts) {
                return texts.stream().map(t -> new float[] {1f, 0f, 0f}).toList();
            }

            @Override
            public void close() {
            }
        };
        LibraryService failing = new LibraryService(store, vectors, new TextExtractor(), Chunker.defaults(), narrow);
        assertThatThrownBy(() -> failing.index(notes, PURPOSE, Progress.NONE)).isInstanceOf(IllegalArgumentException.class);

        assertThat(library.search("queen cells", 5)).as("the document was committed before the failure").hasSize(1);
        assertThat(auditTypes().stream().filter(AuditTypes.DOCUMENT_INGESTED::equals).count())
                .as("its audit entry is there").isEqualTo(before + 1);
    }
}
