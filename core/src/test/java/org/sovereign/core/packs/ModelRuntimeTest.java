package org.sovereign.core.packs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** Loading, sharing and unloading models, thread settings, and audited generation, on real packs and a real vault. */
class ModelRuntimeTest {

    static final String PASS = PackTestHome.PASS;

    @TempDir
    Path tmp;
    private Path home;
    private StoreService store;
    private final AtomicReference<AppSettings> settings = new AtomicReference<>(AppSettings.defaults());
    private Packs packs;
    private PackTestHome fixture;

    @BeforeEach
    void setUp() {
        fixture = new PackTestHome(tmp.resolve("home"), settings::get);
        home = fixture.home;
        store = fixture.store;
        packs = fixture.packs;
    }

    @AfterEach
    void unload() {
        fixture.close();
    }

    private void installTiny() {
        fixture.installTiny(tmp);
    }

    @Test
    void theEmbedderIsLoadedOnceAndStaysLoadedBetweenOperations() {
        int cores = HardwareProfile.detect().logicalCores();
        List<float[]> first;
        try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            first = e.embed(List.of("bees in August"));
            assertThat(packs.runtime().loadedModels()).singleElement().satisfies(m -> assertThat(m.inUse()).isEqualTo(1));
        }
        assertThat(packs.runtime().loadedModels()).as("closing the embedder releases it; it stays loaded").singleElement()
                .satisfies(m -> {
                    assertThat(m.inUse()).isZero();
                    assertThat(m.role()).isEqualTo("embedding");
                    assertThat(m.describe()).isEqualTo("all-minilm-l6-v2: CPU, " + cores
                            + (cores == 1 ? " thread" : " threads") + " (low-power mode off)");
                });
        try (Embedder a = packs.runtime().openDefaultEmbedder().orElseThrow();
             Embedder b = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            assertThat(a.embed(List.of("bees in August")).get(0)).containsExactly(first.get(0));
            assertThat(b.packDigest()).isEqualTo(a.packDigest()).startsWith("sha256:");
            assertThat(packs.runtime().loadedModels()).singleElement().satisfies(m -> assertThat(m.inUse()).isEqualTo(2));
        }
        assertThat(packs.runtime().embed("all-minilm-l6-v2", List.of("bees in August")).get(0)).containsExactly(first.get(0));
        assertThat(packs.runtime().loadedModels()).hasSize(1);
    }

    @Test
    void aChangedThreadSettingReloadsTheModelAtItsNextUse() {
        packs.runtime().load("all-minilm-l6-v2");
        settings.set(AppSettings.defaults().withInferenceThreads(1));
        assertThat(packs.runtime().threadPlan()).isEqualTo(new ModelRuntime.ThreadPlan(1, "set in Settings"));
        assertThat(packs.runtime().loadedModels()).singleElement().satisfies(m ->
                assertThat(m.choice().intraOpThreads()).isEqualTo(HardwareProfile.detect().logicalCores()));

        try (Embedder e = packs.runtime().openDefaultEmbedder().orElseThrow()) {
            assertThat(e.embed(List.of("one thread now"))).hasSize(1);
        }
        assertThat(packs.runtime().loadedModels()).singleElement().satisfies(m -> {
            assertThat(m.choice().intraOpThreads()).isEqualTo(1);
            assertThat(m.runsOn()).isEqualTo("CPU, 1 thread (set in Settings)");
        });

        settings.set(AppSettings.defaults().withLowPowerMode(true));
        int low = HardwareProfile.detect().inferenceThreads(true);
        assertThat(packs.runtime().threadPlan()).isEqualTo(new ModelRuntime.ThreadPlan(low, "low-power mode on"));
        assertThat(packs.runtime().load("all-minilm-l6-v2").choice().intraOpThreads()).isEqualTo(low);
    }

    @Test
    void theChatModelIsSharedAndRemovingItsPackClosesItOnlyAfterTheRunningUseEnds() {
        installTiny();
        ChatModel first = packs.runtime().openChatModel("tiny-llama");
        ChatModel second = packs.runtime().openChatModel("tiny-llama");
        assertThat(packs.runtime().loadedModels()).filteredOn(m -> m.role().equals("chat")).singleElement()
                .satisfies(m -> assertThat(m.inUse()).isEqualTo(2));
        second.close();

        assertThat(packs.installation().remove("tiny-llama", PASS::toCharArray)).isEqualTo("tiny-llama-1.0");
        assertThat(home.resolve("packs/tiny-llama-1.0")).doesNotExist();
        assertThat(packs.runtime().loadedModels()).as("dropped from the cache at once").isEmpty();
        // The assistant was mid-answer when the pack was removed: its session is still open until it closes.
        var answer = first.chat(List.of(ChatMessage.user("Hello")), GenerationRequest.greedy(3), TokenListener.none(),
                new CancellationSignal());
        assertThat(answer.tokenIds()).isNotEmpty();
        first.close();
        assertThatThrownBy(() -> packs.runtime().openChatModel("tiny-llama")).hasMessageContaining("No pack named 'tiny-llama'");
    }

    @Test
    void aPreparedPromptGeneratesWhatChattingWithItsMessagesGenerates() {
        installTiny();
        List<ChatMessage> messages = List.of(ChatMessage.system("Be brief."), ChatMessage.user("Hello there"));
        GenerationRequest settings = packs.runtime().generationDefaults("tiny-llama").request(12, 0.0, null, null);
        assertThat(settings).isEqualTo(packs.runtime().generationSettings("tiny-llama", 12, 0.0, null, null));
        try (ChatModel chat = packs.runtime().openChatModel("tiny-llama")) {
            ChatModel.PreparedPrompt prompt = chat.prepare(messages);
            assertThat(prompt.tokens()).isEqualTo(chat.promptTokens(messages)).isPositive();
            var fromMessages = chat.chat(messages, settings, TokenListener.none(), new CancellationSignal());
            var fromPrompt = chat.chat(prompt, settings, TokenListener.none(), new CancellationSignal());
            assertThat(fromPrompt.tokenIds()).isEqualTo(fromMessages.tokenIds()).isNotEmpty();
            assertThat(fromPrompt.text()).isEqualTo(fromMessages.text());
        }
        assertThatThrownBy(() -> packs.runtime().generationDefaults("all-minilm-l6-v2"))
                .isInstanceOf(PackFailure.class);
    }

    @Test
    void unloadingDropsEveryIdleModel() {
        packs.runtime().load("all-minilm-l6-v2");
        assertThat(packs.runtime().unloadModels()).isEqualTo(1);
        assertThat(packs.runtime().loadedModels()).isEmpty();
    }

    @Test
    void memoryFitInPlainWords() {
        HardwareProfile eightGb = new HardwareProfile(4, List.of(), 8_000_000_000L, 3_000_000_000L);
        assertThat(MemoryFit.of(100_000_000L, eightGb).verdict()).isEqualTo(MemoryFit.Verdict.FITS);
        assertThat(MemoryFit.of(100_000_000L, eightGb).text()).isEqualTo("fits (needs about 0.09 GiB of 7.5 GiB)");
        assertThat(MemoryFit.of(3_500_000_000L, eightGb).verdict()).as("more than free now").isEqualTo(MemoryFit.Verdict.TIGHT);
        assertThat(MemoryFit.of(4_500_000_000L, new HardwareProfile(4, List.of(), 8_000_000_000L, 7_000_000_000L))
                .verdict()).as("more than half").isEqualTo(MemoryFit.Verdict.TIGHT);
        assertThat(MemoryFit.of(6_500_000_000L, eightGb).text()).startsWith("too large for this computer");
        assertThat(MemoryFit.of(1, new HardwareProfile(1, List.of(), -1, -1)).verdict()).isEqualTo(MemoryFit.Verdict.UNKNOWN);
        assertThat(MemoryFit.need(0, 1_000)).isEqualTo(1_200);
        assertThat(MemoryFit.need(5_000, 1_000)).isEqualTo(5_000);
    }

    @Test
    void inferenceEntryCommitsToPromptAndOutputWithSaltsKeptInTheVault() {
        installTiny();
        String prompt = "The workstation checks the signature";
        StringBuilder streamed = new StringBuilder();
        ModelRuntime.GenerateOutcome outcome = packs.runtime().generate(
                new ModelRuntime.GenerateRequest("tiny-llama", prompt, true, 8, 0.0, null),
                (id, delta) -> streamed.append(delta), Optional.of(PASS.toCharArray()));
        assertThat(outcome.audited()).isTrue();
        assertThat(outcome.notAudited()).isEmpty();
        assertThat(streamed.toString()).isEqualTo(outcome.result().text());

        try (LocalStore local = store.unlock(PASS.toCharArray())) {
            List<AuditEntry> all = local.audit().entries(0, local.audit().size());
            AuditEntry inference = all.stream().filter(e -> e.type().equals(AuditTypes.INFERENCE)).findFirst().orElseThrow();
            assertThat(inference.refs()).containsEntry("pack", "tiny-llama-1.0").containsKey("packDigest");
            assertThat(inference.toString()).doesNotContain(prompt);
            byte[] salts = local.session().readItem(Long.parseLong(inference.refs().get("salts"))).orElseThrow();
            assertThat(inference.commitments()).containsEntry("prompt",
                    InferenceAudit.commit(Arrays.copyOfRange(salts, 0, 32), prompt));
            assertThat(inference.commitments()).containsEntry("output",
                    InferenceAudit.commit(Arrays.copyOfRange(salts, 32, 64), outcome.result().text()));
        }
    }

    @Test
    void generateWithoutPassphraseIsNotAuditedAndSaysSo() {
        installTiny();
        ModelRuntime.GenerateOutcome outcome = packs.runtime().generate(
                new ModelRuntime.GenerateRequest("tiny-llama", "Hello", true, 2, 0.0, null), TokenListener.none(),
                Optional.empty());
        assertThat(outcome.audited()).isFalse();
        assertThat(outcome.notAudited()).contains(ModelRuntime.NotAudited.NO_PASSPHRASE);
    }
}
