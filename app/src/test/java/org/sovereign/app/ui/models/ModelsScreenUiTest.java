package org.sovereign.app.ui.models;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.sovereign.app.ui.WindowFixture;
import org.sovereign.app.ui.shell.MainWindow;
import org.sovereign.core.Workstation;
import org.sovereign.core.common.Progress;
import org.sovereign.core.packs.MemoryFit;
import org.sovereign.core.packs.ModelRuntime;
import org.sovereign.core.packs.Packs;
import org.sovereign.core.settings.SettingsStore;
import org.sovereign.packs.signing.ProgressListener;
import org.sovereign.store.LocalStore;
import org.sovereign.store.audit.log.AuditEntry;
import org.sovereign.store.audit.log.AuditTypes;
import org.sovereign.testing.Fixtures;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sovereign.app.ui.WindowFixture.waitUntil;

/**
 * The Models screen in the real window (headless on Monocle), on real packs: the bundled embedding pack installed
 * the way first run installs it, and the tiny Llama fixture imported as an unsigned .mpack.
 */
@ExtendWith(ApplicationExtension.class)
class ModelsScreenUiTest {

    static final String PASSPHRASE = WindowFixture.PASSPHRASE;
    static final String DEFAULT_PACK = "all-minilm-l6-v2";

    @TempDir
    static Path dataRoot;

    private Path home;
    private Path tinyMpack;
    private Packs packs;
    private MainWindow window;

    @Start
    void start(Stage stage) throws Exception {
        home = dataRoot.resolve(UUID.randomUUID().toString());
        Workstation context = WindowFixture.withVault(WindowFixture.workstation(home));
        packs = context.packs();
        packs.installation().installDefault(PASSPHRASE::toCharArray, Progress.NONE);
        tinyMpack = Files.createDirectories(home.resolve("downloads")).resolve("tiny-llama.mpack");
        packs.importer().importFolder(Fixtures.TINY_LLAMA, tinyMpack, "tiny-llama", "1.0.0", "Apache-2.0", null);
        window = WindowFixture.show(context, stage);
    }

    private ModelsViewModel open(FxRobot robot) throws Exception {
        WindowFixture.unlock(robot);
        WindowFixture.open(robot, KeyCode.DIGIT3, "#models-view");
        ModelsViewModel vm = robot.lookup("#models-view").queryAs(ModelsView.class).viewModel();
        waitUntil(() -> !vm.loadingProperty().get() && !vm.rows().isEmpty());
        return vm;
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    private static void select(FxRobot robot, ModelsViewModel vm, String name) throws Exception {
        robot.clickOn(name);
        waitUntil(() -> vm.selectedProperty().get() != null && vm.selectedProperty().get().name().equals(name));
    }

    private Path installed(String id) {
        return home.resolve("packs").resolve(id);
    }

    @Test
    void listsTheBundledPackWithItsTrustLicenceMemoryFitAndHowItRuns(FxRobot robot) throws Exception {
        ModelsViewModel vm = open(robot);

        assertThat(vm.rows()).singleElement().satisfies(row -> {
            assertThat(row.name()).isEqualTo(DEFAULT_PACK);
            assertThat(row.kind()).isEqualTo("embedding");
            assertThat(row.licence()).isEqualTo("Apache-2.0");
            assertThat(row.trustWord()).isEqualTo("bundled");
            assertThat(row.files()).isEqualTo("files ok");
            assertThat(row.size()).endsWith("MB");
            assertThat(row.runs()).isEqualTo("not loaded");
        });
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(text(robot, "#models-hardware")).startsWith(cores + " core").contains("vector instructions")
                .contains("memory");
        assertThat(text(robot, "#models-runtime")).contains("CPU").contains("(low-power mode off)");
        // the 23 MB model fits any machine that runs these tests; the verdict is computed from the real profile
        assertThat(vm.rows().get(0).fitVerdict()).isIn(MemoryFit.Verdict.FITS, MemoryFit.Verdict.TIGHT);

        select(robot, vm, DEFAULT_PACK);
        assertThat(text(robot, "#models-detail-trust")).startsWith("Bundled with this build");
        press(robot, "#models-load"); // below the guidance on getting a chat model: scrolled into view first
        waitUntil(() -> vm.row(vm.rows().get(0).id()) != null && !vm.row(vm.rows().get(0).id()).runs().equals("not loaded"));

        String expected = "CPU, " + cores + (cores == 1 ? " thread" : " threads") + " (low-power mode off)";
        assertThat(vm.rows().get(0).runs()).isEqualTo(expected);
        assertThat(text(robot, "#models-message")).isEqualTo("Loaded " + DEFAULT_PACK + ": " + expected + ".");
        assertThat(packs.runtime().loadedModels()).singleElement().satisfies(m -> assertThat(m.describe())
                .isEqualTo(DEFAULT_PACK + ": " + expected));

        robot.press(KeyCode.CONTROL, KeyCode.L).release(KeyCode.L, KeyCode.CONTROL);
        waitUntil(() -> robot.lookup("#unlock-passphrase").tryQuery().isPresent());
        assertThat(packs.runtime().loadedModels()).as("locking unloads every model").isEmpty();
    }

    @Test
    void anUnsignedPackDroppedOnTheScreenInstallsOnlyAfterTheExplicitConfirmationWhichIsAudited(FxRobot robot)
            throws Exception {
        ModelsViewModel vm = open(robot);
        ModelsView view = robot.lookup("#models-view").queryAs(ModelsView.class);

        robot.interact(() -> view.filesDropped(List.of(tinyMpack.toFile())));
        waitUntil(() -> vm.importStageProperty().get() == ModelsViewModel.ImportStage.VERDICT);

        assertThat(text(robot, "#models-import-verdict")).startsWith("Unsigned").contains("anyone could have made it");
        assertThat(robot.lookup("#models-install").query().isVisible()).as("no plain Install for an unsigned pack").isFalse();
        assertThat(Files.exists(installed("tiny-llama-1.0.0"))).as("nothing installed by verifying").isFalse();
        robot.clickOn("#models-install-anyway");
        assertThat(robot.lookup("#models-trust-bar").query().isVisible()).isTrue();
        assertThat(Files.exists(installed("tiny-llama-1.0.0"))).as("nothing installed before confirming").isFalse();
        robot.clickOn("#models-trust-confirm");
        waitUntil(() -> vm.importStageProperty().get() == ModelsViewModel.ImportStage.NONE
                && vm.row("tiny-llama-1.0.0") != null);

        assertThat(text(robot, "#models-message")).startsWith("Installed tiny-llama-1.0.0.").contains("audit log");
        ModelsViewModel.Row tiny = vm.row("tiny-llama-1.0.0");
        assertThat(tiny.trustWord()).isEqualTo("unsigned");
        assertThat(tiny.kind()).isEqualTo("text-generation");
        assertThat(tiny.trust()).startsWith("Unsigned");
        assertThat(installed("tiny-llama-1.0.0").resolve("model.onnx")).exists();
        LocalStore store = window.session().unlockedProperty().get();
        List<AuditEntry> log = store.audit().entries(0, store.audit().size());
        assertThat(log).anySatisfy(e -> {
            assertThat(e.type()).isEqualTo(AuditTypes.PACK_TRUSTED_ANYWAY);
            assertThat(e.refs()).containsEntry("pack", "tiny-llama-1.0.0").containsEntry("verdict", "unsigned");
        });
    }

    @Test
    void declaringTheConfirmationInstallsNothing(FxRobot robot) throws Exception {
        ModelsViewModel vm = open(robot);
        robot.interact(() -> vm.importPack(tinyMpack));
        waitUntil(() -> vm.importStageProperty().get() == ModelsViewModel.ImportStage.VERDICT);
        robot.clickOn("#models-install-anyway");
        robot.clickOn("#models-trust-cancel");
        robot.clickOn("#models-import-dismiss");
        waitUntil(() -> vm.importStageProperty().get() == ModelsViewModel.ImportStage.NONE);

        assertThat(vm.rows()).extracting(ModelsViewModel.Row::name).containsExactly(DEFAULT_PACK);
        try (var left = Files.list(home.resolve("packs"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(vm.rows().get(0).id());
        }
    }

    @Test
    void reverifyingATamperedPackNamesTheChangedFile(FxRobot robot) throws Exception {
        packs.installation().install(tinyMpack, List.of(), true, PASSPHRASE::toCharArray, Progress.NONE);
        Path model = installed("tiny-llama-1.0.0").resolve("model.onnx");
        try (RandomAccessFile f = new RandomAccessFile(model.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01); // same size: only a full re-hash notices
        }
        ModelsViewModel vm = open(robot);
        waitUntil(() -> vm.row("tiny-llama-1.0.0") != null);
        select(robot, vm, "tiny-llama");
        robot.clickOn("#models-reverify");
        waitUntil(() -> !vm.reverifyingProperty().get() && !vm.reverifyResultProperty().get().isEmpty());

        assertThat(text(robot, "#models-reverify-result")).startsWith("Failed: The file 'model.onnx' does not match");
        assertThat(robot.lookup("#models-reverify-result").query().getStyleClass()).contains("verify-fails");

        select(robot, vm, DEFAULT_PACK);
        robot.clickOn("#models-reverify");
        waitUntil(() -> !vm.reverifyingProperty().get() && !vm.reverifyResultProperty().get().isEmpty());
        assertThat(text(robot, "#models-reverify-result")).startsWith("Verified: All ").contains("files match");
        LocalStore store = window.session().unlockedProperty().get();
        assertThat(store.audit().entries(0, store.audit().size()).stream()
                .filter(e -> e.type().equals(AuditTypes.PACK_VERIFIED)).map(e -> e.refs().get("result")).toList())
                .containsSubsequence("failed", "ok");
    }

    @Test
    void removingAPackTakesItOffTheListAndTheDisk(FxRobot robot) throws Exception {
        ModelsViewModel vm = open(robot);
        String id = vm.rows().get(0).id();
        assertThat(installed(id)).isDirectory();
        select(robot, vm, DEFAULT_PACK);
        robot.type(KeyCode.DELETE); // the keyboard way to the same confirmation as the Remove... button
        assertThat(robot.lookup("#models-remove-bar").query().isVisible()).isTrue();
        robot.type(KeyCode.ESCAPE);
        assertThat(robot.lookup("#models-remove-bar").query().isVisible()).as("Escape keeps it").isFalse();
        assertThat(installed(id)).isDirectory();
        robot.clickOn("#models-remove");
        assertThat(robot.lookup("#models-remove-bar").query().isVisible()).isTrue();
        robot.clickOn("#models-remove-confirm");
        waitUntil(() -> vm.rows().isEmpty() && !vm.loadingProperty().get());

        assertThat(installed(id)).doesNotExist();
        assertThat(text(robot, "#models-message")).isEqualTo("Removed " + id + " from this computer.");
        assertThat(robot.lookup("#models-empty").query().isVisible()).isTrue();
        assertThat(text(robot, "#models-empty")).contains("Hugging Face ONNX").doesNotContain("sovereign pack", "--out");

        robot.clickOn("#models-install-bundled");
        waitUntil(() -> vm.rows().size() == 1 && !vm.defaultPendingProperty().get());
        assertThat(installed(id)).isDirectory();
        assertThat(vm.rows().get(0).trustWord()).isEqualTo("bundled");
        assertThat(robot.lookup("#models-install-bundled").query().isVisible()).isFalse();
    }

    @Test
    void thePowerModeSwitchIsSavedToTheSettingsFile(FxRobot robot) throws Exception {
        ModelsViewModel vm = open(robot);
        robot.clickOn("#models-power-low");
        waitUntil(() -> text(robot, "#models-runtime").contains("low-power mode on"));

        Path file = home.resolve(SettingsStore.FILE_NAME);
        assertThat(new ObjectMapper().readTree(file.toFile()).path("lowPowerMode").asBoolean()).isTrue();
        assertThat(new SettingsStore(home).get().lowPowerMode()).isTrue();
        int lowThreads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
        assertThat(packs.runtime().threadPlan()).isEqualTo(new ModelRuntime.ThreadPlan(lowThreads, "low-power mode on"));
        assertThat(text(robot, "#models-message")).contains("Low-power mode is on");

        robot.clickOn("#models-power-normal");
        waitUntil(() -> text(robot, "#models-runtime").contains("low-power mode off"));
        assertThat(new ObjectMapper().readTree(file.toFile()).path("lowPowerMode").asBoolean()).isFalse();
        assertThat(vm.lowPowerProperty().get()).isFalse();
    }

    @Test
    void aHuggingFaceFolderDroppedOnTheScreenIsImportedInTheVariantChosenAndListed(FxRobot robot) throws Exception {
        ModelsViewModel vm = open(robot);
        ModelsView view = robot.lookup("#models-view").queryAs(ModelsView.class);
        Node guidance = robot.lookup("#models-chat-guidance").query();
        assertThat(guidance.isVisible()).as("only the embedding pack: no chat model yet").isTrue();
        assertThat(text(robot, "#models-chat-guidance-text")).contains("onnx-community")
                .contains("Import Hugging Face folder").doesNotContain("sovereign pack");
        Node details = robot.lookup("#models-chat-guidance-details").query();
        assertThat(details.isVisible()).isFalse();
        press(robot, "#models-chat-guidance-more");
        waitUntil(details::isVisible);
        assertThat(robot.lookup("#models-chat-guidance-details .label").queryAllAs(Label.class))
                .extracting(Label::getText).anyMatch(t -> t.contains("model_q4.onnx") && t.contains("tokenizer.json"));

        Path repo = Fixtures.TINY_LLAMA.resolveSibling("hf-repos").resolve("llama");
        robot.interact(() -> view.filesDropped(List.of(repo.toFile())));
        waitUntil(() -> vm.hfStageProperty().get() == ModelsViewModel.HfStage.CHOOSING);

        assertThat(vm.importStageProperty().get()).isEqualTo(ModelsViewModel.ImportStage.NONE);
        assertThat(text(robot, "#models-hf-source")).isEqualTo(repo.toString());
        for (String key : List.of("fp32", "fp16", "int8", "q4", "q4f16")) {
            RadioButton radio = robot.lookup("#models-hf-variant-" + key).queryAs(RadioButton.class);
            assertThat(radio.isVisible()).isTrue();
            assertThat(radio.getText()).startsWith(key + "  (model").contains(key.equals("fp32") ? "model.onnx"
                    : "model_" + key + ".onnx"); // underscores shown, not taken as mnemonics
        }
        String best = vm.chosenVariantProperty().get().key();
        assertThat(robot.lookup("#models-hf-variant-" + best).queryAs(RadioButton.class).isSelected()).isTrue();
        assertThat(text(robot, "#models-hf-choice")).startsWith("Preselected: " + best);
        assertThat(robot.lookup("#models-hf-variants .label").queryAllAs(Label.class)).extracting(Label::getText)
                .allMatch(t -> t.startsWith("Memory: ") && t.contains("GiB") && t.contains("CPU: "));

        press(robot, "#models-hf-variant-int8");
        waitUntil(() -> vm.chosenVariantProperty().get().key().equals("int8"));
        press(robot, "#models-hf-import");
        waitUntil(() -> vm.hfStageProperty().get() == ModelsViewModel.HfStage.DONE && vm.row("llama-int8-1.0") != null);

        assertThat(text(robot, "#models-hf-result")).startsWith("Installed llama-int8-1.0 (variant int8, ");
        assertThat(vm.row("llama-int8-1.0").kind()).isEqualTo("text-generation");
        assertThat(robot.lookup("#models-table").queryAs(TableView.class).getItems()).contains(vm.row("llama-int8-1.0"));
        assertThat(installed("llama-int8-1.0").resolve("model_int8.onnx")).exists();
        waitUntil(() -> !guidance.isVisible());
        press(robot, "#models-hf-close");
        waitUntil(() -> !robot.lookup("#models-hf-pane").query().isVisible());
    }

    /** Focuses the node (which scrolls it into view) and clicks it. */
    private static void press(FxRobot robot, String id) {
        Node node = robot.lookup(id).query();
        robot.interact(node::requestFocus);
        robot.clickOn(node);
    }
}
