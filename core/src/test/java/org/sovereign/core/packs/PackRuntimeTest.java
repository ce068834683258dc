package org.sovereign.core.packs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.packs.generation.ChatModel;
import org.sovereign.core.config.DataDirectory;
import org.sovereign.packs.embedding.Embedder;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.core.store.StoreService;
import org.sovereign.packs.generation.CancellationSignal;
import org.sovereign.packs.generation.GenerationRequest;
import org.sovereign.packs.generation.TokenListener;
import org.sovereign.packs.pack.PackInstaller;
import org.sovereign.packs.pack.StagingFolder;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.packs.template.ChatMessage;
import org.sovereign.store.vault.crypto.KdfParams;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/** The model cache as the library and the assistant use it, thread settings, removal, and stale-folder cleanup. */
class PackRuntimeTest {

    static final String PASS = "a long and private passphrase";

    @TempDir
    Path tmp;
    private Path home;
    private StoreService store;
    private final AtomicReference<AppSettings> settings = new AtomicReference<>(AppSettings.defaults());
    private PackService packs;

    @BeforeEach
    void setUp() {
        home = tmp.resolve("home");
        store = new StoreService(DataDirectory.resolve(home), Clock.systemUTC(), new KdfParams(KdfParams.MIN_MEMORY_KIB, 1, 1));
        store.create(PASS.toCharArray()).close();
        packs = new PackService(home, store, settings::get);
        packs.installDefault(PASS::toCharArray, ProgressListener.NONE);
    }

    @AfterEach
    void unload() {
        packs.unloadModels();
    }

    private void installTiny() {
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        packs.install(mpack, List.of(), true, PASS::toCharArray, ProgressListener.NONE);
    }

    @Test
    void theEmbedderIsLoadedOnceAndStaysLoadedBetweenOperations() {
        int cores = HardwareProfile.detect().logicalCores();
        List<float[]> first;
        try (Embedder e = packs.openDefaultEmbedder().orElseThrow()) {
            first = e.embed(List.of("bees in August"));
            assertThat(packs.loadedModels()).singleElement().satisfies(m -> assertThat(m.inUse()).isEqualTo(1));
        }
        assertThat(packs.loadedModels()).as("closing the embedder releases it; it stays loaded").singleElement()
                .satisfies(m -> {
                    assertThat(m.inUse()).isZero();
                    assertThat(m.role()).isEqualTo("embedding");
                    assertThat(m.describe()).isEqualTo("all-minilm-l6-v2: CPU, " + cores
                            + (cores == 1 ? " thread" : " threads") + " (low-power mode off)");
                });
        try (Embedder a = packs.openDefaultEmbedder().orElseThrow();
             Embedder b = packs.openDefaultEmbedder().orElseThrow()) {
            assertThat(a.embed(List.of("bees in August")).get(0)).containsExactly(first.get(0));
            assertThat(b.packDigest()).isEqualTo(a.packDigest()).startsWith("sha256:");
            assertThat(packs.loadedModels()).singleElement().satisfies(m -> assertThat(m.inUse()).isEqualTo(2));
        }
        assertThat(packs.embed("all-minilm-l6-v2", List.of("bees in August")).get(0)).containsExactly(first.get(0));
        assertThat(packs.loadedModels()).hasSize(1);
    }

    @Test
    void aChangedThreadSettingReloadsTheModelAtItsNextUse() {
        packs.load("all-minilm-l6-v2");
        settings.set(AppSettings.defaults().withInferenceThreads(1));
        assertThat(packs.threadPlan()).isEqualTo(new PackService.ThreadPlan(1, "set in Settings"));
        assertThat(packs.loadedModels()).singleElement().satisfies(m ->
                assertThat(m.choice().intraOpThreads()).isEqualTo(HardwareProfile.detect().logicalCores()));

        try (Embedder e = packs.openDefaultEmbedder().orElseThrow()) {
            assertThat(e.embed(List.of("one thread now"))).hasSize(1);
        }
        assertThat(packs.loadedModels()).singleElement().satisfies(m -> {
            assertThat(m.choice().intraOpThreads()).isEqualTo(1);
            assertThat(m.runsOn()).isEqualTo("CPU, 1 thread (set in Settings)");
        });

        settings.set(AppSettings.defaults().withLowPowerMode(true));
        int low = HardwareProfile.detect().inferenceThreads(true);
        assertThat(packs.threadPlan()).isEqualTo(new PackService.ThreadPlan(low, "low-power mode on"));
        assertThat(packs.load("all-minilm-l6-v2").choice().intraOpThreads()).isEqualTo(low);
    }

    @Test
    void theChatModelIsSharedAndRemovingItsPackClosesItOnlyAfterTheRunningUseEnds() {
        installTiny();
        ChatModel first = packs.openChatModel("tiny-llama");
        ChatModel second = packs.openChatModel("tiny-llama");
        assertThat(packs.loadedModels()).filteredOn(m -> m.role().equals("chat")).singleElement()
                .satisfies(m -> assertThat(m.inUse()).isEqualTo(2));
        second.close();

        assertThat(packs.remove("tiny-llama")).isEqualTo("tiny-llama-1.0");
        assertThat(home.resolve("packs/tiny-llama-1.0")).doesNotExist();
        assertThat(packs.loadedModels()).as("dropped from the cache at once").isEmpty();
        // The assistant was mid-answer when the pack was removed: its session is still open until it closes.
        var answer = first.chat(List.of(ChatMessage.user("Hello")), GenerationRequest.greedy(3), TokenListener.none(),
                new CancellationSignal());
        assertThat(answer.tokenIds()).isNotEmpty();
        first.close();
        assertThatThrownBy(() -> packs.openChatModel("tiny-llama")).hasMessageContaining("No pack named 'tiny-llama'");
    }

    @Test
    void unloadingDropsEveryIdleModel() {
        packs.load("all-minilm-l6-v2");
        assertThat(packs.unloadModels()).isEqualTo(1);
        assertThat(packs.loadedModels()).isEmpty();
    }

    @Test
    void startingCleansUpFoldersACrashedInstallLeftButNotOnesStillBeingWritten() throws Exception {
        Path packsDir = home.resolve("packs");
        Path crashed = Files.createDirectory(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed"));
        Files.writeString(crashed.resolve("model.onnx"), "half a model");
        Files.createFile(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed.lock"));
        Path removing = Files.createDirectory(packsDir.resolve(PackService.REMOVING_PREFIX + "old-1.0"));
        try (StagingFolder live = StagingFolder.create(packsDir, PackInstaller.STAGING_PREFIX)) {
            new PackService(home, store);

            assertThat(crashed).doesNotExist();
            assertThat(packsDir.resolve(PackInstaller.STAGING_PREFIX + "crashed.lock")).doesNotExist();
            assertThat(removing).doesNotExist();
            assertThat(live.path()).isDirectory();
        }
        try (var left = Files.list(packsDir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2-1.20.0-beta30");
        }
    }

    @Test
    void cancellingAVerificationStopsAndLeavesNothingBehind() {
        Path mpack = tmp.resolve("tiny.mpack");
        packs.importFolder(TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        assertThatThrownBy(() -> packs.verify(mpack, List.of(), ProgressListener.NONE, () -> true))
                .isInstanceOf(CancellationException.class);
        try (var left = Files.list(home.resolve("packs"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("all-minilm-l6-v2-1.20.0-beta30");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void cancellingAReverificationStopsWithoutAVerdictAndAFullRunPasses() {
        String id = packs.details().get(0).id();
        assertThatThrownBy(() -> packs.reverify(id, null, ProgressListener.NONE, () -> true))
                .isInstanceOf(CancellationException.class);
        long[] seen = new long[2];
        PackService.ReverifyResult result = packs.reverify(id, null, (done, total) -> {
            seen[0] = done;
            seen[1] = total;
        }, () -> false);
        assertThat(result.ok()).isTrue();
        assertThat(result.message()).startsWith("All ").contains("files match the manifest");
        assertThat(seen[1]).isPositive();
        assertThat(seen[0]).isEqualTo(seen[1]);
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
}
