package org.sovereign.core.packs;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.core.common.Progress;
import org.sovereign.core.common.UserFacingException;
import org.sovereign.core.settings.AppSettings;
import org.sovereign.packs.runtime.HardwareProfile;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.sovereign.testing.Fixtures.TINY_LLAMA;

/**
 * A Hugging Face folder as the Models screen takes it: the variants with their fit on a given computer, the
 * preselection, the refusals, and importing plus installing in one audited, cancellable step.
 */
class HuggingFaceFolderTest {

    static final Path LLAMA_REPO = TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");
    static final long GIB = 1L << 30;

    @TempDir
    Path tmp;
    private PackTestHome fixture;

    @BeforeEach
    void setUp() {
        fixture = new PackTestHome(tmp.resolve("home"), AppSettings::defaults);
    }

    @AfterEach
    void unload() {
        fixture.close();
    }

    @Test
    void everyVariantIsListedWithSizeMemoryFitAndCpuNoteAndTheBestFitFollowsTheCpu() {
        HardwareProfile avx2 = new HardwareProfile(2, List.of("sse4_2", "avx", "avx2"), 16 * GIB, 8 * GIB);
        FolderPreview preview = fixture.packs.importer().preview(LLAMA_REPO, avx2);

        assertThat(preview.variants()).extracting(v -> v.variant().key())
                .containsExactly("fp32", "fp16", "int8", "q4", "q4f16");
        assertThat(preview.preselected().variant().key()).isEqualTo("q4");
        assertThat(preview.choice().reason()).startsWith("q4 is the best fit").contains("AVX2")
                .contains("needs about 0.").contains(" GiB").doesNotContain("MiB"); // one unit for memory
        assertThat(preview.variants()).allSatisfy(v -> {
            assertThat(v.usable()).isTrue();
            assertThat(v.memory().verdict()).isEqualTo(MemoryFit.Verdict.FITS);
            assertThat(v.memory().text()).startsWith("fits (needs about ").endsWith(" of 16.0 GiB)");
            assertThat(v.variant().sizeBytes()).isPositive();
        });
        assertThat(preview.variants().get(3).cpu()).contains("AVX2");
        assertThat(preview.variants().get(1).cpu()).contains("slower than fp32");

        HardwareProfile plain = new HardwareProfile(2, List.of("sse4_2"), 16 * GIB, 8 * GIB);
        FolderPreview old = fixture.packs.importer().preview(LLAMA_REPO, plain);
        assertThat(old.preselected().variant().key()).as("8-bit first without AVX2").isEqualTo("int8");
        assertThat(old.variants().get(3).cpu()).contains("slow on this CPU").contains("neither AVX2 nor NEON");

        HardwareProfile tiny = new HardwareProfile(2, List.of("avx2"), 64L << 20, 32L << 20);
        assertThat(fixture.packs.importer().preview(LLAMA_REPO, tiny).variants()).allSatisfy(v ->
                assertThat(v.memory().text()).startsWith("too large for this computer"));
    }

    @Test
    void foldersThatCannotBeImportedAreRefusedInOneSentence() throws Exception {
        HardwareProfile hw = HardwareProfile.detect();
        Path noTokenizer = Files.createDirectories(tmp.resolve("no-tokenizer/onnx"));
        Files.copy(TINY_LLAMA.resolve("model.onnx"), noTokenizer.resolve("model.onnx"));
        assertThatThrownBy(() -> fixture.packs.importer().preview(noTokenizer.getParent(), hw))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("has no tokenizer.json");

        Path split = Files.createDirectories(tmp.resolve("t5-like/onnx"));
        Files.copy(TINY_LLAMA.resolve("tokenizer.json"), split.getParent().resolve("tokenizer.json"));
        Files.copy(TINY_LLAMA.resolve("model.onnx"), split.resolve("encoder_model.onnx"));
        Files.copy(TINY_LLAMA.resolve("model.onnx"), split.resolve("decoder_model_merged.onnx"));
        assertThatThrownBy(() -> fixture.packs.importer().preview(split.getParent(), hw))
                .isInstanceOf(UserFacingException.class)
                .hasMessageContaining("split into several parts (decoder_model_merged.onnx, encoder_model.onnx)")
                .hasMessageContaining("decoder-only chat models");

        // an older export of a decoder-only model names its one graph decoder_model_merged.onnx: not refused as split
        Path older = Files.createDirectories(tmp.resolve("older-export/onnx"));
        Files.copy(TINY_LLAMA.resolve("tokenizer.json"), older.getParent().resolve("tokenizer.json"));
        Files.copy(TINY_LLAMA.resolve("model.onnx"), older.resolve("decoder_model_merged.onnx"));
        assertThat(fixture.packs.importer().preview(older.getParent(), hw).variants())
                .extracting(v -> v.variant().key()).containsExactly("decoder_model_merged");

        assertThatThrownBy(() -> fixture.packs.importer().preview(tmp.resolve("nowhere"), hw))
                .isInstanceOf(UserFacingException.class).hasMessageContaining("is not a folder");
    }

    @Test
    void installingAFolderImportsTheChosenVariantInstallsItAndAuditsItWithOneProgress() throws Exception {
        List<String> messages = new ArrayList<>();
        List<Double> fractions = new ArrayList<>();
        Progress progress = recording(messages, fractions, null);
        try (LocalStore local = fixture.store.unlock(PackTestHome.PASS.toCharArray())) {
            PackInstallation.FolderInstall done = fixture.packs.installation().installFolder(local, LLAMA_REPO, "int8",
                    progress);

            assertThat(done.variant().key()).isEqualTo("int8");
            assertThat(done.install().pack().manifest().installDirName()).isEqualTo("llama-int8-1.0");
            assertThat(fixture.home.resolve("packs/llama-int8-1.0/model_int8.onnx")).isRegularFile();
            assertThat(fixture.packs.catalog().list()).extracting(PackSummary::id).contains("llama-int8-1.0");

            List<AuditEntry> log = local.audit().entries(0, local.audit().size());
            assertThat(log).filteredOn(e -> "llama-int8-1.0".equals(e.refs().get("pack")))
                    .extracting(AuditEntry::type)
                    .containsExactly(AuditTypes.PACK_TRUSTED_ANYWAY, AuditTypes.PACK_INSTALLING, AuditTypes.PACK_INSTALLED);
            assertThat(log).filteredOn(e -> AuditTypes.PACK_INSTALLED.equals(e.type())
                    && "llama-int8-1.0".equals(e.refs().get("pack"))).singleElement().satisfies(e ->
                    assertThat(e.refs()).containsEntry("trust", "local-folder").containsEntry("variant", "int8")
                            .containsEntry("verdict", "unsigned"));
        }
        assertThat(messages).anyMatch(m -> m.startsWith("Importing: ")).anyMatch(m -> m.startsWith("Installing: "));
        assertThat(fractions).isSortedAccordingTo(Double::compare);
        assertThat(fractions.get(fractions.size() - 1)).isEqualTo(1.0);
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void cancellingWhileBuildingOrWhileInstallingLeavesNothingInstalledAndNothingBehind() throws Exception {
        try (LocalStore local = fixture.store.unlock(PackTestHome.PASS.toCharArray())) {
            for (String phase : List.of("Importing", "Installing")) {
                Progress progress = recording(new ArrayList<>(), new ArrayList<>(), phase);
                assertThatThrownBy(() -> fixture.packs.installation().installFolder(local, LLAMA_REPO, "q4", progress))
                        .as(phase).isInstanceOf(CancellationException.class);
                assertThat(fixture.packs.catalog().list()).extracting(PackSummary::id).as(phase)
                        .noneMatch(id -> id.startsWith("llama"));
                assertThat(leftovers()).as(phase).isEmpty();
            }
            assertThat(local.audit().entries(0, local.audit().size()))
                    .noneMatch(e -> String.valueOf(e.refs().get("pack")).startsWith("llama"));
        }
    }

    /** Records messages and fractions; raises the cancel flag once a message of {@code cancelAt} arrived. */
    private static Progress recording(List<String> messages, List<Double> fractions, String cancelAt) {
        return new Progress() {
            boolean cancelled;

            @Override
            public void update(long done, long total, String message) {
                messages.add(message);
                fractions.add(done / (double) total);
                if (cancelAt != null && message.startsWith(cancelAt) && done > 0) {
                    cancelled = true;
                }
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }
        };
    }

    /** Dot folders and lock files an import or install would leave in the packs folder. */
    private List<String> leftovers() throws Exception {
        try (Stream<Path> s = Files.list(fixture.home.resolve("packs"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }
}
