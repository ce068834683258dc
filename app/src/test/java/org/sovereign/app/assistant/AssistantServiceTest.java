package org.sovereign.app.assistant;

import static org.sovereign.app.Fixtures.TINY_LLAMA;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.library.Chunker;
import org.sovereign.app.library.LibraryService;
import org.sovereign.app.library.TextExtractor;
import org.sovereign.app.services.Progress;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.consent.ConsentRefusedException;
import org.sovereign.store.consent.ConsentTerms;
import org.sovereign.store.consent.Operation;
import org.sovereign.store.vault.crypto.KdfParams;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The assistant on a real vault, real files and the real tiny Llama fixture run by ONNX Runtime. */
class AssistantServiceTest {

    private static final String PURPOSE = "private assistant";
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @TempDir
    Path tmp;
    private Path notes;
    private LocalStore store;
    private AssistantService assistant;

    @BeforeEach
    void setUp() throws Exception {
        notes = Files.createDirectories(tmp.resolve("notes"));
        Files.writeString(notes.resolve("bees.md"), "Varroa mites are counted with a sugar roll in August.");
        store = LocalStore.create(tmp.resolve("home"), "assistant test passphrase".toCharArray(),
                new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1), Clock.systemUTC());
        LibraryService library = new LibraryService(store, new TextExtractor(), Chunker.defaults(), null);
        assistant = new AssistantService(store, library);
        String indexing = grant(Set.of(Operation.INDEX));
        library.index(notes, PURPOSE, Progress.NONE);
        store.consent().withdraw(indexing);
    }

    @AfterEach
    void tearDown() {
        store.close();
    }

    private String grant(Set<Operation> ops) {
        Instant now = Instant.now();
        return store.consent().grant(new ConsentTerms(UUID.randomUUID().toString(), "me", "this device", List.of(PURPOSE),
                List.of("dpv-pd:Document"), List.of(notes.toString()), List.of(), EnumSet.copyOf(ops), "local", "P1Y",
                now.minusSeconds(5), now.plus(Duration.ofDays(1)), "Consent screen", "notice", "en")).recordId();
    }

    private List<AuditEntry> inferences() {
        return store.audit().entries(0, store.audit().size()).stream().filter(e -> e.type().equals(AuditTypes.INFERENCE)).toList();
    }

    private ChatModel tinyLlama() {
        assertThat(TINY_LLAMA.resolve("model.onnx")).exists();
        return new FolderChatModel(TINY_LLAMA, DIGEST);
    }

    @Test
    void withoutAModelItShowsLabelledPassagesAndRecordsThat() {
        String consent = grant(Set.of(Operation.INDEX));

        Answer a = assistant.ask("varroa mites", PURPOSE, 3, null, -1, null, TokenListener.none(), new CancellationSignal());

        assertThat(a.generated()).isFalse();
        assertThat(a.text()).startsWith("Retrieved passages (no text-generation model was used")
                .contains("[1] bees.md: Varroa mites are counted with a sugar roll in August.");
        assertThat(a.consentId()).isEqualTo(consent);
        AuditEntry entry = inferences().get(0);
        assertThat(entry.refs()).containsEntry("consent", consent).containsEntry("packDigest", "none (retrieved passages only)");
        assertThat(entry.commitments()).containsOnlyKeys("prompt", "output");
        assertThat(entry.toBytes()).asString().doesNotContain("varroa", "Varroa");
    }

    @Test
    void generatesWithTheRealModelStreamingTokensAndAuditsThePack() {
        String consent = grant(Set.of(Operation.INDEX, Operation.GENERATE));
        List<String> deltas = new ArrayList<>();

        try (ChatModel model = tinyLlama()) {
            Answer a = assistant.ask("How are varroa mites counted?", PURPOSE, 3, model, -1,
                    GenerationRequest.greedy(12), (id, delta) -> deltas.add(delta), new CancellationSignal());

            assertThat(a.generated()).isTrue();
            assertThat(a.stats().tokenIds()).isNotEmpty().hasSizeLessThanOrEqualTo(12);
            assertThat(String.join("", deltas)).isEqualTo(a.text());
            assertThat(a.citations()).extracting(p -> p.document().getFileName().toString()).containsExactly("bees.md");
            assertThat(inferences()).singleElement().satisfies(e -> {
                assertThat(e.refs()).containsEntry("consent", consent).containsEntry("packDigest", DIGEST).containsEntry("documents", "1");
                // the version of bees.md used is the one its ingest entry committed to
                String beesVersion = store.audit().entries(0, store.audit().size()).stream()
                        .filter(x -> x.type().equals(AuditTypes.DOCUMENT_INGESTED))
                        .map(x -> x.commitments().get("documentVersion"))
                        .filter(v -> v.equals(a.citations().get(0).documentVersion()))
                        .findFirst().orElseThrow();
                assertThat(e.refs()).containsEntry("documentVersions", beesVersion);
                assertThat(e.sequence()).isEqualTo(a.auditSequence());
            });
        }
    }

    @Test
    void noGenerationWithoutAConsentForIt() {
        grant(Set.of(Operation.INDEX));

        try (ChatModel model = tinyLlama()) {
            assertThatThrownBy(() -> assistant.ask("varroa", PURPOSE, 3, model, -1, GenerationRequest.greedy(5),
                    TokenListener.none(), new CancellationSignal()))
                    .isInstanceOf(ConsentRefusedException.class)
                    .hasMessageContaining("does not allow the operation 'generate'");
        }
        assertThat(inferences()).isEmpty();
    }

    @Test
    void anAnswerFinishedAfterAWithdrawalIsDiscarded() {
        String consent = grant(Set.of(Operation.INDEX, Operation.GENERATE));
        long conversationsBefore = store.session().scopes().stream().filter(s -> s.kind().equals("conversation")).count();

        try (ChatModel model = tinyLlama()) {
            TokenListener withdrawOnFirstToken = new TokenListener() {
                boolean done;

                @Override
                public void onToken(long tokenId, String textDelta) {
                    if (!done) {
                        done = true;
                        store.consent().withdraw(consent);
                    }
                }
            };
            assertThatThrownBy(() -> assistant.ask("varroa", PURPOSE, 3, model, -1, GenerationRequest.greedy(8),
                    withdrawOnFirstToken, new CancellationSignal()))
                    .isInstanceOf(ConsentRefusedException.class).hasMessageContaining("withdrawn");
        }
        assertThat(inferences()).isEmpty();
        assertThat(store.session().scopes().stream().filter(s -> s.kind().equals("conversation")).count()).isEqualTo(conversationsBefore);
    }
}
