package org.sovereign.app.ui.models;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.FxThread;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.dialogs.DialogService;
import org.sovereign.app.ui.models.ModelsViewModel.HfStage;
import org.sovereign.app.ui.models.ModelsViewModel.VariantRow;
import org.sovereign.app.ui.tasks.BackgroundTasks;
import org.sovereign.app.ui.vault.UnlockedSession;
import org.sovereign.app.ui.vault.VaultSessionState;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.testing.Fixtures;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The Models screen's route to a chat model, without a window: a Hugging Face folder's variants with their fit, the
 * preselected best fit, importing with progress and Cancel, plain inline errors, and when the guidance on getting a
 * chat model shows.
 */
class ModelsHuggingFaceViewModelTest {

    static final Path LLAMA_REPO = Fixtures.TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");

    @TempDir
    Path home;
    private Workstation workstation;
    private VaultSessionState session;
    /** Tasks wait here until the test runs them (on the FX thread), so a test can cancel one before it runs. */
    private final List<Runnable> queued = new ArrayList<>();

    @BeforeAll
    static void toolkit() throws Exception {
        FxThread.start();
    }

    @BeforeEach
    void setUp() throws Exception {
        workstation = WindowFixture.withVault(WindowFixture.workstation(home));
        session = FxThread.call(() -> UnlockedSession.of(workstation));
    }

    @AfterEach
    void lock() throws Exception {
        FxThread.run(session::lock);
        workstation.packs().runtime().unloadModels();
    }

    private ModelsViewModel viewModel(BackgroundTasks tasks) {
        return new ModelsViewModel(session, workstation.packs(), workstation.settings(), tasks,
                new DialogService(() -> null, home.resolve("test.log")));
    }

    private ModelsViewModel viewModel() {
        return viewModel(BackgroundTasks.sameThread());
    }

    /** Runs the queued tasks (and those they queue) on the FX thread. */
    private void runQueued() throws Exception {
        while (!queued.isEmpty()) {
            Runnable next = queued.remove(0);
            FxThread.run(next);
        }
    }

    /** The packs folder's entries, dot folders (temporary work) included. */
    private List<String> installedIds() throws Exception {
        if (!Files.isDirectory(home.resolve("packs"))) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(home.resolve("packs"))) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void theVariantsAreListedWithSizeAndFitAndTheBestFitForThisComputerIsPreselected() throws Exception {
        ModelsViewModel vm = viewModel();
        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));

        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.CHOOSING);
        assertThat(vm.hfSourceProperty().get()).isEqualTo(LLAMA_REPO.toString());
        assertThat(vm.variants()).extracting(VariantRow::key).containsExactly("fp32", "fp16", "int8", "q4", "q4f16");
        assertThat(vm.variants()).allSatisfy(v -> {
            assertThat(v.usable()).isTrue();
            assertThat(v.size()).matches("\\d+(\\.\\d)? (kB|MB)");
            assertThat(v.facts()).startsWith("Memory: ").contains("needs about ").contains(" GiB").contains(". CPU: ");
        });
        assertThat(vm.variants()).filteredOn(v -> v.key().equals("fp16")).singleElement()
                .satisfies(v -> assertThat(v.cpu()).contains("slower than fp32"));

        var packs = workstation.packs();
        String best = packs.importer().preview(LLAMA_REPO, packs.runtime().hardware()).preselected().variant().key();
        assertThat(vm.chosenVariantProperty().get().key()).isEqualTo(best);
        assertThat(vm.hfChoiceProperty().get()).startsWith("Preselected: " + best + " ");
        assertThat(vm.workingProperty().get()).isFalse();
        assertThat(installedIds()).as("reading installs nothing").isEmpty();

        FxThread.run(vm::cancelHuggingFace);
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.NONE);
        assertThat(vm.variants()).isEmpty();

        FxThread.run(() -> vm.importPack(LLAMA_REPO.resolve("onnx")));
        assertThat(vm.hfStageProperty().get()).as("a dropped onnx folder takes the same route").isEqualTo(HfStage.CHOOSING);
        assertThat(vm.importStageProperty().get()).isEqualTo(ModelsViewModel.ImportStage.NONE);
        assertThat(vm.variants()).hasSize(5);
    }

    @Test
    void importingTheChosenVariantShowsProgressInstallsItListsItAndEndsTheGuidance() throws Exception {
        ModelsViewModel vm = viewModel();
        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));
        FxThread.run(() -> vm.chosenVariantProperty().set(vm.variants().get(2)));
        List<String> said = new ArrayList<>();
        List<Double> fractions = new ArrayList<>();
        vm.progressTextProperty().addListener((o, was, now) -> said.add(now));
        vm.progressProperty().addListener((o, was, now) -> fractions.add(now.doubleValue()));

        FxThread.run(vm::importChosenVariant);

        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.DONE);
        assertThat(vm.hfResultProperty().get()).startsWith("Installed llama-int8-1.0 (variant int8, ")
                .contains("Choose it on the Assistant screen").contains("audit log");
        assertThat(vm.hfErrorProperty().get()).isEmpty();
        assertThat(said).anyMatch(s -> s.startsWith("Importing: ")).anyMatch(s -> s.startsWith("Installing: "));
        assertThat(fractions).contains(1.0);
        assertThat(vm.row("llama-int8-1.0")).isNotNull().satisfies(r -> {
            assertThat(r.kind()).isEqualTo("text-generation");
            assertThat(r.trustWord()).isEqualTo("unsigned");
            assertThat(r.files()).isEqualTo("files ok");
        });
        assertThat(vm.chatGuidanceProperty().get()).as("a chat model is installed now").isFalse();
        assertThat(vm.workingProperty().get()).isFalse();
        assertThat(installedIds()).containsExactly("llama-int8-1.0");

        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));
        FxThread.run(() -> vm.chosenVariantProperty().set(vm.variants().get(2)));
        FxThread.run(vm::importChosenVariant);
        assertThat(vm.hfStageProperty().get()).as("back to the choice").isEqualTo(HfStage.CHOOSING);
        assertThat(vm.hfErrorProperty().get()).contains("already installed").endsWith("Nothing was installed.");
    }

    @Test
    void cancellingWhileReadingOrImportingInstallsNothingAndKeepsTheChoice() throws Exception {
        ModelsViewModel vm = viewModel(new BackgroundTasks(queued::add));
        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.READING);
        assertThat(vm.workingProperty().get()).isTrue();
        FxThread.run(vm::cancelHuggingFace);
        runQueued();
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.NONE);
        assertThat(vm.variants()).isEmpty();

        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));
        runQueued();
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.CHOOSING);
        VariantRow chosen = vm.chosenVariantProperty().get();
        FxThread.run(vm::importChosenVariant);
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.IMPORTING);
        FxThread.run(vm::cancelHuggingFace);
        runQueued();

        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.CHOOSING);
        assertThat(vm.hfErrorProperty().get()).isEqualTo("Import cancelled. Nothing was installed.");
        assertThat(vm.chosenVariantProperty().get()).isEqualTo(chosen);
        assertThat(vm.variants()).hasSize(5);
        assertThat(vm.workingProperty().get()).isFalse();
        assertThat(installedIds()).isEmpty();
    }

    @Test
    void foldersAndModelsThatCannotBeImportedAreSaidInlineInPlainWords() throws Exception {
        ModelsViewModel vm = viewModel();
        Path noTokenizer = Files.createDirectories(home.resolve("downloads/no-tokenizer/onnx"));
        Files.copy(Fixtures.TINY_LLAMA.resolve("model.onnx"), noTokenizer.resolve("model.onnx"));
        FxThread.run(() -> vm.openHuggingFaceFolder(noTokenizer.getParent()));
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.FAILED);
        assertThat(vm.hfErrorProperty().get()).contains("has no tokenizer.json").doesNotContain("Exception");
        assertThat(vm.workingProperty().get()).isFalse();

        Path split = Files.createDirectories(home.resolve("downloads/whisper-like/onnx"));
        Files.copy(Fixtures.TINY_LLAMA.resolve("tokenizer.json"), split.getParent().resolve("tokenizer.json"));
        Files.copy(Fixtures.TINY_LLAMA.resolve("model.onnx"), split.resolve("encoder_model.onnx"));
        Files.copy(Fixtures.TINY_LLAMA.resolve("model.onnx"), split.resolve("decoder_model_merged.onnx"));
        FxThread.run(() -> vm.openHuggingFaceFolder(split.getParent()));
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.FAILED);
        assertThat(vm.hfErrorProperty().get()).contains("split into several parts").contains("decoder-only chat models");

        // a graph that does not match its configuration: not a model the generation loop runs
        Path odd = Files.createDirectories(home.resolve("downloads/odd-llama"));
        try (Stream<Path> files = Files.list(Fixtures.TINY_LLAMA)) {
            for (Path f : files.toList()) {
                Files.copy(f, odd.resolve(f.getFileName().toString()));
            }
        }
        Files.writeString(odd.resolve("config.json"), Files.readString(odd.resolve("config.json"))
                .replace("\"num_hidden_layers\": 2", "\"num_hidden_layers\": 3"));
        FxThread.run(() -> vm.openHuggingFaceFolder(odd));
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.CHOOSING);
        FxThread.run(vm::importChosenVariant);
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.CHOOSING);
        assertThat(vm.hfErrorProperty().get()).startsWith("This model is not one the workstation can run")
                .endsWith("Nothing was installed.");
        assertThat(installedIds()).isEmpty();

        FxThread.run(session::lock);
        FxThread.run(() -> vm.openHuggingFaceFolder(LLAMA_REPO));
        assertThat(vm.hfStageProperty().get()).isEqualTo(HfStage.NONE);
        assertThat(vm.messageProperty().get()).startsWith("Unlock the vault first");
    }

    @Test
    void theGuidanceShowsWheneverNoTextGenerationPackIsInstalledEvenWithTheEmbeddingPack() throws Exception {
        ModelsViewModel vm = viewModel();
        assertThat(vm.chatGuidanceProperty().get()).as("not before the packs are listed").isFalse();
        FxThread.run(vm::refresh);
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.chatGuidanceProperty().get()).isTrue();

        var packs = workstation.packs();
        assumeThat(packs.installation().defaultPackName()).as("this build bundles the embedding pack").isPresent();
        packs.installation().installDefault(session.unlockedProperty().get(), Progress.NONE);
        FxThread.run(vm::refresh);
        assertThat(vm.rows()).extracting(ModelsViewModel.Row::kind).containsExactly("embedding");
        assertThat(vm.chatGuidanceProperty().get()).as("an embedding pack is no chat model").isTrue();

        Path mpack = home.resolve("tiny.mpack");
        packs.importer().importFolder(Fixtures.TINY_LLAMA, mpack, "tiny-llama", "1.0", "Apache-2.0", null);
        packs.installation().install(session.unlockedProperty().get(), mpack, true, Progress.NONE);
        FxThread.run(vm::refresh);
        assertThat(vm.chatGuidanceProperty().get()).isFalse();

        packs.installation().remove(session.unlockedProperty().get(), "tiny-llama");
        FxThread.run(vm::refresh);
        assertThat(vm.chatGuidanceProperty().get()).as("shown again once the chat model is gone").isTrue();
    }
}
