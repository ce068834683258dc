package org.sovereign.core.library;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.store.LocalStore;
import org.sovereign.store.consent.Operation;
import org.sovereign.testing.ConsentFixture;
import org.sovereign.testing.TestKdf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/** Hybrid search with the bundled MiniLM model over a small real library: only what matches comes back. */
class SearchRelevanceTest {

    private static final String PURPOSE = "private assistant";

    @TempDir
    static Path modelDir;
    private static MiniLm model;

    @TempDir
    Path tmp;
    private Path notes;
    private LocalStore store;
    private LibraryService library;

    @BeforeAll
    static void open() {
        model = MiniLm.open(modelDir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("mites.txt"), RelevanceFloorTest.PASSAGES.get("mites"));
        Files.writeString(notes.resolve("bikes.txt"), RelevanceFloorTest.PASSAGES.get("bikes"));
        Files.writeString(notes.resolve("pantry.txt"), RelevanceFloorTest.PASSAGES.get("pantry"));
        Files.writeString(notes.resolve("taxes.md"), "# Taxes\n\n" + RelevanceFloorTest.PASSAGES.get("taxes"));
        store = LocalStore.create(tmp.resolve("home"), "search relevance passphrase".toCharArray(), TestKdf.FAST,
                Clock.systemUTC());
        ConsentFixture.consent().purpose(PURPOSE).source(notes).packs(model.packDigest())
                .operations(Operation.INDEX, Operation.EMBED, Operation.GENERATE).grantIn(store);
        library = new LibraryService(store, ChunkStore.forSession(store.session()), new TextExtractor(),
                Chunker.defaults(), model);
        IndexReport report = library.index(notes, PURPOSE, Progress.NONE);
        assertThat(report.embedded()).isTrue();
        assertThat(report.indexed()).hasSize(4);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    @Test
    void aWordFindsOnlyTheFileAboutIt() {
        assertThat(library.search("mites", 5, PURPOSE)).extracting(Passage::document)
                .containsExactly(notes.resolve("mites.txt"));
        assertThat(library.search("mites", 5)).extracting(Passage::document)
                .containsExactly(notes.resolve("mites.txt"));
    }

    @Test
    void aQuestionInOtherWordsFindsItsFileAndNoOther() {
        assertThat(library.search("where do dust mites live", 5, PURPOSE)).extracting(Passage::document)
                .containsExactly(notes.resolve("mites.txt"));
        assertThat(library.search("storing food", 5, PURPOSE)).extracting(Passage::document)
                .containsExactly(notes.resolve("pantry.txt"));
    }

    @Test
    void somethingTheLibraryDoesNotHoldFindsNothing() {
        assertThat(library.search("piano lessons for children", 5, PURPOSE)).isEmpty();
        assertThat(library.search("what is it", 5, PURPOSE)).as("common words only").isEmpty();
    }
}
